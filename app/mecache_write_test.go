package app_test

import (
	"context"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
)

// putFailingMeCache misses on every read and fails every write with err.
type putFailingMeCache struct{ err error }

func (putFailingMeCache) Get(context.Context, domain.AccountName) (domain.CachedMe, bool, error) {
	return domain.CachedMe{}, false, nil
}

func (c putFailingMeCache) Put(context.Context, domain.AccountName, domain.CachedMe) error {
	return c.err
}

func (putFailingMeCache) Delete(context.Context, domain.AccountName) error { return nil }

// A /me cache that cannot be written — even refused as unsafe (a symlinked
// me.json) — does not change the answer: account test passes, project list
// lists, and a warning names the problem and its fix.
func TestMeCacheWriteFailureOnlyWarns(t *testing.T) {
	ctx := context.Background()
	for _, code := range []domain.Code{domain.CodeCredentialFileUnsafe, domain.CodeConfigError} {
		t.Run(string(code), func(t *testing.T) {
			f := seeded(t, nil)
			cause := domain.NewError(code, "refusing to write /h/.mp/accounts/alpha/me.json: it is a symbolic link").
				WithHint("remove the link: rm /h/.mp/accounts/alpha/me.json")
			core, logs := observer.New(zapcore.WarnLevel)
			a := app.New(app.Deps{Config: f.store, Storage: f.storage, API: f.api, Me: putFailingMeCache{cause}, Clock: f.clock, Log: zap.New(core)})
			res, err := a.Accounts.Test(ctx, domain.Selection{}, "alpha")
			if err != nil || !res.OK {
				t.Fatalf("account test: %+v, %v; want ok", res, err)
			}
			if _, err := a.Projects.List(ctx, domain.Selection{}, true); err != nil {
				t.Fatalf("project list --refresh: %v", err)
			}
			warns := logs.FilterMessageSnippet("could not write the /me cache").All()
			if len(warns) == 0 {
				t.Fatal("no warning about the cache")
			}
			ctxMap := warns[0].ContextMap()
			if !strings.Contains(ctxMap["error"].(string), "me.json") || !strings.Contains(ctxMap["hint"].(string), "rm ") {
				t.Fatalf("warning fields %v lack the path or the fix", ctxMap)
			}
		})
	}
}
