package filestore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
)

// A file that nests deeper than MaxNesting is refused on read, with its
// line, before anything is built per level; one exactly at the limit loads
// and round-trips.
func TestNestingBeyondTheLimitIsRefusedWithItsLine(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("x.", n-1) + "x" }
	over := filestore.MaxNesting + 1
	cases := map[string]string{
		"dotted key":            "[accounts.a]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\nsecret = \"s\"\n" + deep(over) + " = 1\n",
		"table header":          "a = 1\n\n\n\n\n[" + deep(over) + "]\nk = 1\n",
		"header plus key":       "\n\n\n\n[" + deep(filestore.MaxNesting) + "]\nk = 1\n",
		"arrays":                "\n\n\n\n\nk = " + strings.Repeat("[", over) + strings.Repeat("]", over) + "\n",
		"inline tables":         "\n\n\n\n\nk = " + strings.Repeat("{ a = ", over) + "1" + strings.Repeat(" }", over) + "\n",
		"settings unknown keys": "[settings]\n\n\n\n\n" + deep(filestore.MaxNesting) + " = 1\n",
		"ten thousand deep":     "\n\n\n\n\n" + deep(10000) + " = 1\n",
		// The nesting is measured in the pass that builds the document;
		// past an expression that pass refuses, the whole file is measured
		// before go-toml's decoder sees it.
		"after a duplicate key":   "k = 1\nk = 2\n\n\n\n" + deep(10000) + " = 1\n",
		"after a redefined table": "[a]\n[a]\n\n\n\n" + deep(over) + " = 1\n",
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.write(t, content)
			s := e.store()
			_, err := s.Load(context.Background())
			de := assertError(t, err, domain.CodeConfigError, e.path, "line 6", "nested more than 32 levels")
			if de.Details["line"] != 6 || de.Details["file"] != e.path {
				t.Errorf("details = %v, want file and line 6", de.Details)
			}

			called := false
			err = s.Update(context.Background(), func(c *domain.Config) error {
				called = true
				return nil
			})
			assertError(t, err, domain.CodeConfigError, "line 6")
			if called {
				t.Error("Update called fn on a config it refused")
			}
			if got := e.read(t); string(got) != content {
				t.Fatal("the refused file changed")
			}
			e.assertNoTempFiles(t)
		})
	}
}

func TestNestingAtTheLimitRoundTrips(t *testing.T) {
	e := newEnv(t)
	key := strings.Repeat("x.", filestore.MaxNesting-1) + "x"
	e.write(t, key+" = 1\n[t]\nk = "+strings.Repeat("[", filestore.MaxNesting-2)+strings.Repeat("]", filestore.MaxNesting-2)+"\n")
	s := e.store()
	if err := s.Update(context.Background(), func(c *domain.Config) error {
		_, err := c.AddAccount(sa("new", "pw"))
		return err
	}); err != nil {
		t.Fatalf("Update of a file at the nesting limit: %v", err)
	}
	got := string(e.read(t))
	if !strings.Contains(got, "["+strings.Repeat("x.", filestore.MaxNesting-2)+"x]\nx = 1\n") {
		t.Errorf("the deep unknown key did not survive the rewrite:\n%s", got)
	}
	if _, err := s.Load(context.Background()); err != nil {
		t.Fatalf("the rewritten file does not load: %v", err)
	}
}

// Accounts and targets are decoded in map order; a file with several
// broken entries still reports the first by name, every time.
func TestTheFirstBrokenEntryByNameIsReported(t *testing.T) {
	var sb strings.Builder
	for _, n := range []string{"m", "z", "c", "q", "e", "x", "g"} {
		sb.WriteString("[accounts." + n + "]\ntype = \"service_account\"\nregion = \"mars\"\nusername = \"u\"\nsecret = \"s\"\n")
	}
	sb.WriteString("[accounts.ok]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\nsecret = \"s\"\n")
	for _, n := range []string{"t9", "t3", "t7", "t1", "t5"} {
		sb.WriteString("[targets." + n + "]\naccount = \"ok\"\nproject = \"not-a-number\"\n")
	}
	for name, content := range map[string]string{
		"accounts": sb.String(),
		"targets":  strings.ReplaceAll(sb.String(), "mars", "eu"),
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.write(t, content)
			want := "[accounts.c] region"
			if name == "targets" {
				want = "[targets.t1] project"
			}
			for range 20 {
				_, err := e.store().Load(context.Background())
				assertError(t, err, domain.CodeConfigError, want)
			}
		})
	}
}
