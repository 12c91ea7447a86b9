package filestore

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// deepTables returns n maps nested in one another under the key "x", the
// innermost holding x = 1: what a dotted key n parts deep decodes to.
func deepTables(n int) map[string]any {
	m := map[string]any{"x": int64(1)}
	for range n - 1 {
		m = map[string]any{"x": m}
	}
	return m
}

// The encoder's work is linear in the nesting: a table 10,000 levels deep
// (which decode refuses, but encode must not make quadratic either) costs
// what its one 20 KB header line costs, not a copy of the key path per
// level (which allocated about 800 MB).
func TestEncodeIsLinearInTheNesting(t *testing.T) {
	const depth = 10000
	doc := document{extra: deepTables(depth)}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	out, err := encode(context.Background(), doc)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	want := "[" + strings.Repeat("x.", depth-2) + "x]\nx = 1\n"
	if string(out) != want {
		t.Fatalf("encoded %d bytes, want the one table %q…", len(out), want[:40])
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
		t.Errorf("encoding a %d-deep table allocated %d MB; want linear (a few MB)", depth, n>>20)
	}
}

// A cancelled context stops the encoding with the context's error.
func TestEncodeHonoursTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := encode(ctx, document{extra: deepTables(3)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("encode with a cancelled context: %v, want context.Canceled", err)
	}
}
