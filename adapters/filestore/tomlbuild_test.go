package filestore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// tomlCases are documents on both sides of every rule of the duplicate
// check: go-toml's own decoder is the reference.
var tomlCases = []string{
	"a = 1\na = 2\n",
	"[a]\n[a]\n",
	"[a.b]\n[a]\n",
	"[a]\n[a.b]\n[a]\n",
	"a.b = 1\n[a]\n",
	"a.b = 1\n[a.b]\n",
	"a.b = 1\n[a.c]\n",
	"a.b.c = 1\n[a.b.d]\n",
	"[a]\nb.c = 1\n[a.b]\n",
	"[a]\nb.c = 1\n[a.b.d]\nx = 1\n",
	"[a.b.c]\n[a]\nb.d = 1\n",
	"[a.b.c]\n[a]\nb = 1\n",
	"a = 1\n[a]\n",
	"a = 1\n[a.b]\n",
	"a = {}\n[a]\n",
	"a = {}\n[a.b]\n",
	"a = {b = 1}\na.c = 2\n",
	"a = []\n[[a]]\n",
	"[[a]]\n[a]\n",
	"[a]\n[[a]]\n",
	"[[a]]\nx = 1\n[[a]]\nx = 2\n[a.b]\ny = 1\n[[a]]\n[a.b]\n",
	"[[a]]\n[a.b]\n[a.b]\n",
	"[[a.b]]\n[a]\nc = 1\n[[a.b]]\n",
	"[[a]]\nb.c = 1\nb.d = 2\n[[a]]\nb.c = 3\n",
	"a = {b = {c = 1}, b.d = 2}\n",
	"a = {b.c = 1, b.d = 2}\n",
	"a = {b = 1, b = 2}\n",
	"a = [{b = 1, b = 2}]\n",
	"a = [[{b = 1}], [{b = 2, c = [{d = 1, d = 2}]}]]\n",
	"a = [1, 'x', 1.5, true, 1979-05-27, 07:32:00, 1979-05-27T07:32:00, 1979-05-27T07:32:00Z]\n",
	"i = [0, -0, +1, 1_000, 0x_1, 0xdead_beef, 0o17, 0b101, 01, 9223372036854775807, 9223372036854775808, 999999999999999999, 1000000000000000000]\n",
	"f = [inf, -inf, nan, +nan, 1e3, 1_0.5e-1_0]\n",
	"b = [true, false, tru]\n",
	"s = \"a\\u00e9\\\"\"\nl = 'x'\nm = \"\"\"\nx\"\"\"\n\"\" = 1\n'' = 2\n",
	"\"a.b\" = 1\na.b = 2\n[\"a.b\"]\n",
	"[a]\n[b]\n[a.c]\n[b.c]\n[a]\n",
	"x.y.z = 1\nx.y.w = 2\nx.v = 3\n[x.y.u]\n",
	"[[x.y]]\n[x]\nz = 1\n",
	"[x]\nz = 1\n[[x.y]]\n[[x.y]]\n[x.y.w]\n[[x.y]]\n",
	"a = 1 # c\n# d\n[t] # e\n",
	"a = \n",
	"[a\n",
	"a = 1 b = 2\n",
}

// buildTOML gives exactly what go-toml's Unmarshal gives, and refuses
// exactly what it refuses.
func TestBuildTOMLAgreesWithGoTOML(t *testing.T) {
	for _, c := range tomlCases {
		checkBuildAgainstGoTOML(t, []byte(c))
	}
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			checkBuildAgainstGoTOML(t, data)
		}
	}
}

func checkBuildAgainstGoTOML(t *testing.T, data []byte) {
	t.Helper()
	var want map[string]any
	wantErr := toml.Unmarshal(data, &want)
	got, err := buildTOML(data)
	switch {
	case wantErr != nil && err == nil:
		t.Errorf("buildTOML accepts what go-toml refuses (%v):\n%s\n=> %#v", wantErr, data, got)
	case wantErr == nil && err != nil:
		t.Errorf("buildTOML refuses what go-toml accepts:\n%s\n=> %#v", data, want)
	case wantErr == nil && !sameValue(got, want):
		t.Errorf("buildTOML and go-toml differ on\n%s\nbuild:  %#v\ngo-toml: %#v", data, got, want)
	}
}

// FuzzBuildTOML compares buildTOML with go-toml's decoder on any input.
func FuzzBuildTOML(f *testing.F) {
	for _, c := range tomlCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if checkNesting("f", data) != nil {
			return // refused before either decoder runs
		}
		checkBuildAgainstGoTOML(t, data)
	})
}

// BenchmarkBuildTOML decodes configs of n accounts and n targets: linear in
// n (go-toml's Unmarshal is quadratic in the number of tables).
func BenchmarkBuildTOML(b *testing.B) {
	for _, n := range []int{2500, 5000} {
		var sb strings.Builder
		for i := range n {
			fmt.Fprintf(&sb, "[accounts.a%d]\ntype = \"service_account\"\nregion = \"us\"\ndefault_project = \"%d\"\nusername = \"u%d\"\nsecret = \"s%d\"\n\n[targets.t%d]\naccount = \"a%d\"\nproject = \"%d\"\nworkspace = %d\n\n", i, i, i, i, i, i, i, i)
		}
		data := []byte(sb.String())
		b.Run(fmt.Sprintf("build/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := buildTOML(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("gotoml/n=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var m map[string]any
				if err := toml.Unmarshal(data, &m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
