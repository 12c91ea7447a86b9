package filestore

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
)

// maxFuzzAlloc bounds what one decode → encode → decode round trip may
// allocate: far above what any input the fuzzer builds needs when the work
// is linear, far below what quadratic work on a deep input costs.
const maxFuzzAlloc = 64 << 20

// FuzzDecode feeds arbitrary bytes to the decoder. It must never panic,
// must fail only with CONFIG_ERROR or LEGACY_CONFIG, and whatever it
// accepts must survive encode and decode unchanged — known part and
// unknown part — with a stable encoding.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"",
		"[active]\nworkspace = 1\n",
		"a = 1\n[b]\nc = [1, {d = 2}]\n[[e]]\n[[e]]\nf.g = 1.5\n",
		"\"quoted key\" = 'x'\n[settings]\n'odd key' = -inf\nn = nan\n",
		"[accounts.x]\ntype = \"oauth_token\"\nregion = \"in\"\ntoken = \"a\\u0000b\\\"c\"\n",
		"[settings]\ncustom_header = { name = \"X\", value = \"\\n\" }\n[settings.a.b]\nc = 1979-05-27T00:32:00.999999-07:00\n",
		"[[x.y]]\n[x]\nz = 1\n",
		"config_version = 1\n",
		strings.Repeat("x.", 40) + "x = 1\n",
		"[" + strings.Repeat("a.", 30) + "a]\nk = [[[1]]]\n",
		"k = " + strings.Repeat("{ a = ", 20) + "[[1]]" + strings.Repeat(" }", 20) + "\n",
		"[accounts.a]\ntype = \"x\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		defer func() {
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > maxFuzzAlloc {
				t.Errorf("decode/encode/decode of %d bytes allocated %d bytes, more than %d: not linear in the input", len(data), n, maxFuzzAlloc)
			}
		}()
		doc, err := decode("fuzz.toml", data)
		if err != nil {
			if c := domain.CodeOf(err); c != domain.CodeConfigError && c != domain.CodeLegacyConfig {
				t.Fatalf("decode failed with code %q: %v", c, err)
			}
			return
		}
		out, err := encode(context.Background(), doc)
		if err != nil {
			t.Fatalf("encode of an accepted document: %v", err)
		}
		again, err := decode("fuzz.toml", out)
		if err != nil {
			t.Fatalf("the encoded document does not decode: %v\n--- encoded\n%s", err, out)
		}
		if !reflect.DeepEqual(doc.config.Data(), again.config.Data()) {
			t.Fatalf("config changed through encode/decode:\n%+v\n%+v\n--- encoded\n%s", doc.config.Data(), again.config.Data(), out)
		}
		if !sameValue(doc.extra, again.extra) || !sameValue(doc.settings, again.settings) {
			t.Fatalf("unknown keys changed through encode/decode:\n%#v %#v\n%#v %#v\n--- encoded\n%s",
				doc.extra, doc.settings, again.extra, again.settings, out)
		}
		out2, err := encode(context.Background(), again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("encoding is not stable (%v):\n%s\n---\n%s", err, out, out2)
		}
	})
}

// sameValue compares decoded TOML values: NaN equals NaN, times compare
// as instants with the same offset, and empty maps equal missing ones.
func sameValue(a, b any) bool {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return false
		}
		for i := range a {
			if !sameValue(a[i], bs[i]) {
				return false
			}
		}
		return true
	case float64:
		bf, ok := b.(float64)
		return ok && (a == bf && math.Signbit(a) == math.Signbit(bf) || math.IsNaN(a) && math.IsNaN(bf))
	case time.Time:
		bt, ok := b.(time.Time)
		if !ok {
			return false
		}
		_, ao := a.Zone()
		_, bo := bt.Zone()
		return a.Equal(bt) && ao == bo
	}
	return reflect.DeepEqual(a, b)
}
