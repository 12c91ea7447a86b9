package target

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/render"
)

// TestViewJSONMatchesEncodingJSON holds the hand-written encoder of `mp
// target list --format json|jsonl` to what encoding/json writes for
// app.TargetView, byte for byte; a field added to TargetView fails it
// until viewJSON writes the field too.
func TestViewJSONMatchesEncodingJSON(t *testing.T) {
	wantTags := []string{"name", "account", "project", "workspace", "shadowed_by_bridge,omitempty", "note,omitempty"}
	typ := reflect.TypeFor[app.TargetView]()
	var tags []string
	for i := range typ.NumField() {
		tags = append(tags, typ.Field(i).Tag.Get("json"))
	}
	if !reflect.DeepEqual(tags, wantTags) {
		t.Fatalf("app.TargetView's JSON fields are now %q: update viewJSON (and this list) to write them as encoding/json does", tags)
	}
	w, zero := int64(3018), int64(0)
	items := []app.TargetView{
		{},
		{Name: "ecom", Account: "team", Project: "3018488", Workspace: &w},
		{Name: "web", Account: "ci", Project: "1", Workspace: &zero},
		{Name: "x<&>\"\\\n\u2028\xff", Account: "é", ShadowedByBridge: "/tmp/a b/auth.json", Note: "note <b>"},
	}
	for _, f := range []render.Format{render.JSON, render.JSONL} {
		for n := range len(items) + 1 {
			var got, want bytes.Buffer
			if err := render.ListJSON(&got, f, items[:n], columns(), viewJSON); err != nil {
				t.Fatal(err)
			}
			if err := render.List(&want, f, items[:n], columns()); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("%s of %d:\n got %s\nwant %s", f, n, got.String(), want.String())
			}
		}
	}
}
