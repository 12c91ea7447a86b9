package filestore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// TestSecretNeverInErrors seeds unique secrets into files that fail in
// every way the store reports, and scans every printable form of each
// error.
func TestSecretNeverInErrors(t *testing.T) {
	buf := make([]byte, 12)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	secret := "S3cr3t" + hex.EncodeToString(buf)
	digits := "98127364509182736" // a numeric "secret" written without quotes

	account := "[accounts.team]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\n"
	files := map[string]string{
		"syntax error after the secret": account + "secret = \"" + secret + "\"\n[[[\n",
		"unterminated secret":           account + "secret = \"" + secret + "\n",
		"unquoted secret":               account + "secret = " + secret + "\n",
		"secret with a bad escape":      account + "secret = \"" + secret + "\\q\"\n",
		"numeric secret":                account + "secret = " + digits + "\n",
		"secret as a key":               account + "secret = \"x\"\n" + secret + " = 1\n[accounts.team]\n",
		"duplicate secret":              account + "secret = \"" + secret + "\"\nsecret = \"" + secret + "\"\n",
		"bad region next to the secret": strings.Replace(account, "\"us\"", "\"mars\"", 1) + "secret = \"" + secret + "\"\n",
		"token pasted into token_env":   "[accounts.ci]\ntype = \"oauth_token\"\nregion = \"us\"\ntoken_env = \"" + secret + ".part\"\n",
		"token and token_env":           "[accounts.ci]\ntype = \"oauth_token\"\nregion = \"us\"\ntoken = \"" + secret + "\"\ntoken_env = \"T\"\n",
		"secret on a browser account":   "[accounts.b]\ntype = \"oauth_browser\"\nregion = \"us\"\nsecret = \"" + secret + "\"\n",
		"legacy file":                   "config_version = 1\n[credentials.x]\nsecret = \"" + secret + "\"\n",
		"unknown key beside the secret": account + "secret = \"" + secret + "\"\nsecret2 = \"" + secret + "\"\n",
		"secret in an invalid header":   "[settings]\ncustom_header = { name = \"" + secret + " x\", value = \"" + secret + "\" }\n",
		"secret as the header name":     "[settings]\ncustom_header = { name = \"" + secret + "\" }\n",
		"secret header value with a CR": "[settings]\ncustom_header = { name = \"X-Token\", value = \"" + secret + "\\r\" }\n",
	}
	for name, content := range files {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.write(t, content)
			_, loadErr := e.store().Load(context.Background())
			if loadErr == nil {
				t.Fatalf("Load accepted:\n%s", content)
			}
			updateErr := e.store().Update(context.Background(), func(*domain.Config) error { return nil })
			if updateErr == nil {
				t.Fatal("Update accepted the file")
			}
			for _, err := range []error{loadErr, updateErr} {
				text := fullText(err)
				if strings.Contains(text, secret) || strings.Contains(text, digits) {
					t.Fatalf("the secret leaked into the error:\n%s", text)
				}
			}
		})
	}

	// The same holds for a refused (unsafe) file and for errors raised
	// while updating a valid one.
	t.Run("unsafe file and failing updates", func(t *testing.T) {
		e := newEnv(t)
		s := e.store()
		err := s.Update(context.Background(), func(c *domain.Config) error {
			_, err := c.AddAccount(sa("team", secret))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var errs []error
		errs = append(errs, s.Update(context.Background(), func(c *domain.Config) error {
			_, err := c.AddAccount(sa("team", secret)) // exists
			return err
		}))
		errs = append(errs, s.Update(context.Background(), func(c *domain.Config) error {
			_, err := c.AddAccount(domain.Account{Name: "x", Type: domain.TypeOAuthBrowser, Region: domain.RegionUS, Secret: domain.NewSecret(secret)})
			return err
		}))
		if err := os.Chmod(e.path, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = s.Load(context.Background())
		errs = append(errs, err)
		for _, err := range errs {
			if err == nil {
				t.Fatal("expected an error")
			}
			if text := fullText(err); strings.Contains(text, secret) {
				t.Fatalf("the secret leaked into the error:\n%s", text)
			}
		}
		var de *domain.Error
		if !errors.As(errs[2], &de) || de.Code != domain.CodeCredentialFileUnsafe {
			t.Fatalf("Load of a 0644 file: %v, want CREDENTIAL_FILE_UNSAFE", errs[2])
		}
	})
}
