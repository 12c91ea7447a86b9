package filestore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// fastSeeds are documents at the edge of the shape decodeFast reads: each
// one either has that shape or differs from it in one way decodeFast must
// see (and leave to decodeGeneral).
var fastSeeds = []string{
	"[accounts.a]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\nsecret = \"s\"\n",
	"[active]\naccount = \"a\"\n[accounts.a]\ntype = \"oauth_token\"\nregion = \"eu\"\ntoken = \"t\"\n[targets.t]\naccount = \"a\"\nproject = \"1\"\nworkspace = 2\n",
	"[accounts.a]\ntype = \"service_account\"\nregion = \"us\"\nusername = \"u\"\nsecret = \"s\"\n[accounts.a]\n",
	"[accounts.a]\ntype = \"service_account\"\ntype = \"service_account\"\nregion = \"us\"\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n[accounts.a.more]\nx = 1\n",
	"[accounts]\n[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n",
	"accounts.a.type = \"oauth_browser\"\naccounts.a.region = \"us\"\n",
	"accounts = { a = { type = \"oauth_browser\", region = \"us\" } }\n",
	"[accounts.a]\ntype.x = \"oauth_browser\"\nregion = \"us\"\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\nproject_id = 1\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\ndefault_project = 1\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = 'us'\ndefault_project = \"\"\"1\"\"\"\n",
	"[accounts.\"a b\"]\ntype = \"oauth_browser\"\nregion = \"us\"\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n[targets.t]\naccount = \"b\"\nproject = \"1\"\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n[targets.t]\naccount = \"a\"\nproject = \"1\"\nworkspace = 0x10\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n[targets.t]\naccount = \"a\"\nproject = \"1\"\nworkspace = -1\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n[targets.t]\naccount = \"a\"\nproject = \"1\"\nworkspace = \"2\"\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n[[targets.t]]\naccount = \"a\"\n",
	"[accounts.a]\ntype = \"service_account\"\nregion = \"us\"\nsecret = \"\"\nusername = \"u\"\n[settings]\nsecret_backend = \"keychain\"\n",
	"default = \"a\"\n[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n",
	"[credentials.a]\nusername = \"u\"\n[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n",
	"x = 1\n[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n[other.t]\ny = [1, { z = 2 }]\n[[arr]]\nw = 1\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\nusername = \"u\\u00e9\\\"\"\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n[accounts.b]\ntype = \"oauth_token\"\nregion = \"in\"\ntoken_env = \"1X\"\n",
	"[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n[active]\naccount = \"a\"\naccount = \"a\"\n",
	"[accounts.a] # c\ntype = \"oauth_browser\" # c\n# c\nregion = \"us\"\n",
}

// FuzzDecodeFast checks decodeFast against decodeGeneral: whatever
// decodeFast accepts, decodeGeneral accepts too, and the two documents are
// the same — known part and unknown part. decodeFast may decline anything
// (decode then asks decodeGeneral), but it must never answer differently.
func FuzzDecodeFast(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.toml"))
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, err := decodeFast("fuzz.toml", data)
		if err != nil {
			if err != errNotBuilt {
				t.Fatalf("decodeFast failed with %v, not errNotBuilt", err)
			}
			return
		}
		general, err := decodeGeneral("fuzz.toml", data)
		if err != nil {
			t.Fatalf("decodeFast accepted a document decodeGeneral refuses (%v):\n%s", err, data)
		}
		if !reflect.DeepEqual(fast.config.Data(), general.config.Data()) {
			t.Fatalf("decodeFast and decodeGeneral disagree on the config:\n%+v\n%+v\n--- document\n%s", fast.config.Data(), general.config.Data(), data)
		}
		if !sameValue(fast.extra, general.extra) || !sameValue(fast.settings, general.settings) {
			t.Fatalf("decodeFast and decodeGeneral disagree on the unknown keys:\n%#v %#v\n%#v %#v\n--- document\n%s",
				fast.extra, fast.settings, general.extra, general.settings, data)
		}
	})
}

// TestDecodeFastReadsWhatMpWrites: every file mp writes has the shape
// decodeFast reads, so a config of any size is decoded the fast way. Were
// it to decline them, mp would still work, only slower — which no other
// test would notice.
func TestDecodeFastReadsWhatMpWrites(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("[active]\naccount = \"a0\"\nworkspace = 9\n")
	for i := range 50 {
		fmt.Fprintf(&sb, "[accounts.a%d]\ntype = \"service_account\"\nregion = \"eu\"\ndefault_project = \"%d\"\nusername = \"u%d\"\nsecret = \"s%d\"\n", i, 100+i, i, i)
		fmt.Fprintf(&sb, "[accounts.o%d]\ntype = \"oauth_token\"\nregion = \"in\"\ntoken_env = \"MP_T%d\"\n", i, i)
		fmt.Fprintf(&sb, "[accounts.b%d]\ntype = \"oauth_browser\"\nregion = \"us\"\n", i)
		fmt.Fprintf(&sb, "[targets.t%d]\naccount = \"a%d\"\nproject = \"%d\"\nworkspace = %d\n", i, i, 100+i, 1+i)
	}
	sb.WriteString("[settings]\nsecret_backend = \"file\"\nhttp_timeout = \"90s\"\ncustom_header = { name = \"X-Team\", value = \"v\" }\n[settings.secret_commands]\na1 = [\"pass\", \"show\", \"mp/a1\"]\n[unknown]\nkept = [1, 2]\n")
	doc, err := decodeGeneral("config.toml", []byte(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	written, err := encode(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"hand-written": []byte(sb.String()), "written by mp": written} {
		fast, err := decodeFast("config.toml", data)
		if err != nil {
			t.Fatalf("%s: decodeFast declined a file of mp's own shape\n%s", name, data)
		}
		if got := len(fast.config.Accounts()); got != 150 {
			t.Fatalf("%s: decodeFast read %d accounts, want 150", name, got)
		}
		if !reflect.DeepEqual(fast.config.Data(), doc.config.Data()) || !sameValue(fast.settings, doc.settings) || !sameValue(fast.extra, doc.extra) {
			t.Fatalf("%s: decodeFast and decodeGeneral disagree", name)
		}
	}
}

// TestDecodeFastLeavesErrorsToTheGeneralWay: a fault in an account or a
// target is reported with its line, exactly as before the fast way.
func TestDecodeFastLeavesErrorsToTheGeneralWay(t *testing.T) {
	data := "[accounts.a]\ntype = \"oauth_browser\"\nregion = \"us\"\n\n[accounts.b]\ntype = \"oauth_browser\"\nregion = \"mars\"\n"
	_, err := decode("/h/.mp/config.toml", []byte(data))
	if domain.CodeOf(err) != domain.CodeConfigError {
		t.Fatalf("got %v, want a CONFIG_ERROR", err)
	}
	want := "config file /h/.mp/config.toml, line 7: [accounts.b] region:"
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
	}
}

// BenchmarkDecode decodes a config of n accounts and n targets both ways:
// decode (which takes the fast path for this shape) and decodeGeneral.
func BenchmarkDecode(b *testing.B) {
	for _, n := range []int{2500, 5000} {
		var sb strings.Builder
		for i := range n {
			fmt.Fprintf(&sb, "[accounts.a%d]\ntype = \"service_account\"\nregion = \"us\"\ndefault_project = \"%d\"\nusername = \"u%d\"\nsecret = \"s%d\"\n\n", i, i, i, i)
		}
		for i := range n {
			fmt.Fprintf(&sb, "[targets.t%d]\naccount = \"a%d\"\nproject = \"%d\"\nworkspace = %d\n\n", i, i, i, i+1)
		}
		data := []byte(sb.String())
		for _, way := range []struct {
			name   string
			decode func(string, []byte) (document, error)
		}{{"decode", decode}, {"general", decodeGeneral}} {
			b.Run(fmt.Sprintf("%s/n=%d", way.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := way.decode("config.toml", data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
