package account

import (
	"context"
	"strings"
	"testing"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// meOf is a /me answer with n projects.
func meOf(email string, n int) domain.Me {
	me := domain.Me{User: domain.User{ID: 42, Email: email}}
	for i := range n {
		me.Projects = append(me.Projects, domain.Project{ID: domain.ProjectID(string(rune('1' + i))), Name: "P"})
	}
	return me
}

func TestAddProbesTheRegion(t *testing.T) {
	const secret = "probe-secret-NEVER-PRINT"
	tests := []struct {
		name       string
		opts       AddOptions
		stdin      string
		env        map[string]string
		known      domain.Credential // valid in region
		region     domain.Region
		wantStderr string
		quiet      bool
	}{
		{
			"service account found in eu",
			AddOptions{Name: "eu1", Type: "service_account", Username: "eu-sa", SecretStdin: true},
			secret, nil, domain.BasicCredential("eu-sa", domain.NewSecret(secret)), domain.RegionEU,
			"Probing region us… 401\nProbing region eu… ok\nFound account in region eu.\n", false,
		},
		{
			"token account found in us at once",
			AddOptions{Name: "ci", Type: "oauth_token", TokenEnv: "MP_CI_TOKEN"},
			"",
			map[string]string{"MP_CI_TOKEN": "tok-NEVER-PRINT"},
			domain.BearerCredential(domain.NewSecret("tok-NEVER-PRINT")), domain.RegionUS,
			"Probing region us… ok\nFound account in region us.\n", false,
		},
		{
			"in, quietly",
			AddOptions{Name: "in1", Type: "service_account", Username: "in-sa", SecretStdin: true},
			secret, nil, domain.BasicCredential("in-sa", domain.NewSecret(secret)), domain.RegionIN,
			"", true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := addCase{opts: tt.opts, stdin: tt.stdin, env: tt.env, setup: func(e *commandtest.Env) {
				e.API.SetMe(tt.known, tt.region, meOf("sa@example.com", 2))
				e.IO.SetQuiet(tt.quiet)
			}}
			env, err := c.run(t, domain.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if a := stored(t, env, domain.AccountName(tt.opts.Name)); a.Region != tt.region {
				t.Errorf("stored region %q, want %q", a.Region, tt.region)
			}
			if env.Stderr.String() != tt.wantStderr {
				t.Errorf("stderr = %q, want %q", env.Stderr.String(), tt.wantStderr)
			}
			if !strings.HasPrefix(env.Stdout.String(), "Added account '"+tt.opts.Name+"' (") ||
				!strings.Contains(env.Stdout.String(), ", "+string(tt.region)+").") {
				t.Errorf("stdout = %q", env.Stdout.String())
			}
			if n := env.API.Count(inmem.EndpointMe); n != len(strings.Split(strings.TrimSpace(tt.wantStderr), "\n"))-1 && !tt.quiet {
				t.Errorf("%d /me calls for stderr %q", n, tt.wantStderr)
			}
			for _, out := range []string{env.Stdout.String(), env.Stderr.String()} {
				if strings.Contains(out, secret) || strings.Contains(out, "tok-NEVER-PRINT") {
					t.Errorf("secret in output %q", out)
				}
			}
		})
	}
}

func TestAddProbeFails(t *testing.T) {
	t.Run("every region refuses", func(t *testing.T) {
		o := AddOptions{Name: "x", Type: "service_account", Username: "u", SecretStdin: true, Format: render.JSON}
		env, err := addCase{opts: o, stdin: "wrong"}.run(t, domain.Config{})
		if domain.CodeOf(err) != domain.CodeRegionProbeFailed {
			t.Fatalf("err = %v, want REGION_PROBE_FAILED", err)
		}
		want := "Probing region us… 401\nProbing region eu… 401\nProbing region in… 401\n"
		if env.Stderr.String() != want || env.Stdout.Len() != 0 {
			t.Errorf("stderr %q stdout %q", env.Stderr.String(), env.Stdout.String())
		}
		if cfg, _ := env.Store.Load(context.Background()); !cfg.IsEmpty() {
			t.Error("an account was stored")
		}
	})
	t.Run("a network error ends the probe", func(t *testing.T) {
		o := AddOptions{Name: "x", Type: "service_account", Username: "u", SecretStdin: true}
		unreachable := domain.NewError(domain.CodeNetworkUnreachable, "cannot reach 127.0.0.1:9")
		env, err := addCase{opts: o, stdin: "s", setup: func(e *commandtest.Env) {
			e.API.FailNext(inmem.EndpointMe, unreachable)
		}}.run(t, domain.Config{})
		if domain.CodeOf(err) != domain.CodeNetworkUnreachable {
			t.Fatalf("err = %v", err)
		}
		if env.Stderr.String() != "Probing region us… unreachable\n" {
			t.Errorf("stderr %q", env.Stderr.String())
		}
	})
	t.Run("the region flag skips the probe", func(t *testing.T) {
		env, err := addCase{opts: AddOptions{Name: "x", Type: "service_account", Region: "in", Username: "u", SecretStdin: true, NoVerify: true}, stdin: "s"}.run(t, domain.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if env.API.Count(inmem.EndpointMe) != 0 || strings.Contains(env.Stderr.String(), "Probing") {
			t.Errorf("probed although --region was given: %q", env.Stderr.String())
		}
	})
	t.Run("the region flag checks that region only", func(t *testing.T) {
		env, err := addCase{
			opts:  AddOptions{Name: "x", Type: "service_account", Region: "eu", Username: "eu-sa", SecretStdin: true},
			stdin: saSecret,
			setup: func(e *commandtest.Env) {
				e.API.SetMe(domain.BasicCredential("eu-sa", domain.NewSecret(saSecret)), domain.RegionEU, saMe())
			},
		}.run(t, domain.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if n := env.API.Count(inmem.EndpointMe); n != 1 || strings.Contains(env.Stderr.String(), "Probing") {
			t.Errorf("%d /me calls, stderr %q: want one check in eu and no probe", n, env.Stderr.String())
		}
		if !strings.Contains(env.Stderr.String(), "note: checked: account 'x' sees 1 project in eu.") {
			t.Errorf("stderr %q does not say what was checked", env.Stderr.String())
		}
	})
}
