package account

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/render"
)

// TestSummaryJSONMatchesEncodingJSON holds the hand-written encoder of
// `mp account list --format json|jsonl` to what encoding/json writes for
// app.AccountSummary, byte for byte; a field added to AccountSummary fails
// it until summaryJSON writes the field too.
func TestSummaryJSONMatchesEncodingJSON(t *testing.T) {
	wantTags := []string{"name", "type", "region", "default_project", "is_active", "referenced_by_targets", "secret_store", "shadowed_by_bridge,omitempty", "note,omitempty"}
	typ := reflect.TypeFor[app.AccountSummary]()
	var tags []string
	for i := range typ.NumField() {
		tags = append(tags, typ.Field(i).Tag.Get("json"))
	}
	if !reflect.DeepEqual(tags, wantTags) {
		t.Fatalf("app.AccountSummary's JSON fields are now %q: update summaryJSON (and this list) to write them as encoding/json does", tags)
	}
	p := "3018488"
	items := []app.AccountSummary{
		{},
		{Name: "team", Type: "service_account", Region: "us", DefaultProject: &p, IsActive: true, ReferencedByTargets: []string{"a", "b"}, SecretStore: "config"},
		{Name: "ci", Type: "oauth_token", Region: "in", ReferencedByTargets: []string{}, SecretStore: "env"},
		{Name: "x<&>\"\\\n\u2028\xff", ShadowedByBridge: "/tmp/a b/auth.json", Note: "note <b>", ReferencedByTargets: []string{"é", ""}},
	}
	for _, f := range []render.Format{render.JSON, render.JSONL} {
		for n := range len(items) + 1 {
			var got, want bytes.Buffer
			if err := render.ListJSON(&got, f, items[:n], listColumns(), summaryJSON); err != nil {
				t.Fatal(err)
			}
			if err := render.List(&want, f, items[:n], listColumns()); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("%s of %d:\n got %s\nwant %s", f, n, got.String(), want.String())
			}
		}
	}
	// The JSON of a summary is encoding/json's (List's reference above).
	b, _ := json.Marshal(items[2])
	const golden = `{"name":"ci","type":"oauth_token","region":"in","default_project":null,"is_active":false,"referenced_by_targets":[],"secret_store":"env"}`
	if string(b) != golden {
		t.Fatalf("encoding/json = %s", b)
	}
}
