package account

import (
	"context"
	"testing"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

func TestListFormats(t *testing.T) {
	tests := []struct {
		format render.Format
		want   string
	}{
		{render.Table, "" +
			"NAME      TYPE             REGION  PROJECT  ACTIVE  SECRETS\n" +
			"ci        oauth_token      in      3713224          env\n" +
			"personal  oauth_browser    eu      -                file\n" +
			"team      service_account  us      3018488  *       config\n"},
		{render.JSON, `[
  {
    "name": "ci",
    "type": "oauth_token",
    "region": "in",
    "default_project": "3713224",
    "is_active": false,
    "referenced_by_targets": [
      "stage"
    ],
    "secret_store": "env"
  },
  {
    "name": "personal",
    "type": "oauth_browser",
    "region": "eu",
    "default_project": null,
    "is_active": false,
    "referenced_by_targets": [],
    "secret_store": "file"
  },
  {
    "name": "team",
    "type": "service_account",
    "region": "us",
    "default_project": "3018488",
    "is_active": true,
    "referenced_by_targets": [
      "ecom"
    ],
    "secret_store": "config"
  }
]
`},
		{render.JSONL, "" +
			`{"name":"ci","type":"oauth_token","region":"in","default_project":"3713224","is_active":false,"referenced_by_targets":["stage"],"secret_store":"env"}` + "\n" +
			`{"name":"personal","type":"oauth_browser","region":"eu","default_project":null,"is_active":false,"referenced_by_targets":[],"secret_store":"file"}` + "\n" +
			`{"name":"team","type":"service_account","region":"us","default_project":"3018488","is_active":true,"referenced_by_targets":["ecom"],"secret_store":"config"}` + "\n"},
		{render.CSV, "" +
			"name,type,region,default_project,is_active,referenced_by_targets,secret_store\n" +
			"ci,oauth_token,in,3713224,false,stage,env\n" +
			"personal,oauth_browser,eu,,false,,file\n" +
			"team,service_account,us,3018488,true,ecom,config\n"},
		{render.Plain, "" +
			"ci\toauth_token\tin\t3713224\tfalse\tstage\tenv\n" +
			"personal\toauth_browser\teu\t\tfalse\t\tfile\n" +
			"team\tservice_account\tus\t3018488\ttrue\tecom\tconfig\n"},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			env := commandtest.New(fixture(t), nil)
			err := listRun(context.Background(), &ListOptions{IO: env.IO, App: env.Factory.App, Format: tt.format})
			if err != nil {
				t.Fatal(err)
			}
			if got := env.Stdout.String(); got != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, tt.want)
			}
			if env.Stderr.Len() != 0 {
				t.Errorf("stderr: %q", env.Stderr.String())
			}
		})
	}
}

func TestListEmpty(t *testing.T) {
	want := map[render.Format]string{render.Table: "", render.JSON: "[]\n", render.JSONL: "", render.CSV: "name,type,region,default_project,is_active,referenced_by_targets,secret_store\n", render.Plain: ""}
	for _, f := range render.Formats() {
		env := commandtest.New(domain.Config{}, nil)
		if err := listRun(context.Background(), &ListOptions{IO: env.IO, App: env.Factory.App, Format: f}); err != nil {
			t.Fatal(err)
		}
		if env.Stdout.String() != want[f] {
			t.Errorf("%s: stdout %q, want %q", f, env.Stdout.String(), want[f])
		}
		if env.Stderr.String() != "No accounts configured. Add one with `mp account add NAME --type service_account|oauth_browser|oauth_token --region us|eu|in`.\n" {
			t.Errorf("%s: stderr hint %q", f, env.Stderr.String())
		}
	}
	// --quiet suppresses the hint.
	env := commandtest.New(domain.Config{}, nil)
	env.IO.SetQuiet(true)
	if err := listRun(context.Background(), &ListOptions{IO: env.IO, App: env.Factory.App, Format: render.JSON}); err != nil {
		t.Fatal(err)
	}
	if env.Stderr.Len() != 0 {
		t.Errorf("quiet: stderr %q", env.Stderr.String())
	}
}
