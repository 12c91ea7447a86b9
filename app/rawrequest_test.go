package app_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
)

func TestBuildRawRequest(t *testing.T) {
	body := func(s string) func() ([]byte, error) { return func() ([]byte, error) { return []byte(s), nil } }
	fields := []domain.Param{{Key: "a", Value: "1"}, {Key: "b", Value: "x y"}}
	for _, tt := range []struct {
		name string
		in   app.RawInput
		want domain.RawRequest
		code domain.Code
	}{
		{
			"default GET with query fields",
			app.RawInput{Path: "/api/app/me", Fields: fields},
			domain.RawRequest{Method: "GET", Path: "/api/app/me", Params: fields},
			"",
		},
		{
			"default POST with a JSON body",
			app.RawInput{Path: "/api/app/x", Body: body(`{"k":1}`)},
			domain.RawRequest{Method: "POST", Path: "/api/app/x", Body: []byte(`{"k":1}`), ContentType: "application/json"},
			"",
		},
		{
			"a body that is not JSON",
			app.RawInput{Method: "put", Path: "/api/app/x", Body: body("a=b"), Fields: fields},
			domain.RawRequest{Method: "PUT", Path: "/api/app/x", Body: []byte("a=b"), ContentType: "application/octet-stream", Params: fields},
			"",
		},
		{
			"POST fields become a JSON object",
			app.RawInput{Method: "POST", Path: "/api/app/x", Fields: fields},
			domain.RawRequest{Method: "POST", Path: "/api/app/x", Body: []byte(`{"a":"1","b":"x y"}`), ContentType: "application/json"},
			"",
		},
		{
			"PATCH without fields has no body",
			app.RawInput{Method: "PATCH", Path: "/api/app/x"},
			domain.RawRequest{Method: "PATCH", Path: "/api/app/x"},
			"",
		},
		{
			"DELETE fields are query parameters",
			app.RawInput{Method: "delete", Path: "/api/app/x", Fields: fields},
			domain.RawRequest{Method: "DELETE", Path: "/api/app/x", Params: fields},
			"",
		},
		{"unknown method", app.RawInput{Method: "TRACE", Path: "/api/app/x"}, domain.RawRequest{}, domain.CodeInvalidArgument},
		{"GET with a body", app.RawInput{Method: "GET", Path: "/api/app/x", Body: body("{}")}, domain.RawRequest{}, domain.CodeInvalidArgument},
		{"HEAD with a body", app.RawInput{Method: "head", Path: "/api/app/x", Body: body("{}")}, domain.RawRequest{}, domain.CodeInvalidArgument},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := app.BuildRawRequest(tt.in)
			if tt.code != "" {
				if domain.CodeOf(err) != tt.code {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("request = %+v\nwant      %+v", got, tt.want)
			}
		})
	}
	// The body is not read when the method refuses one, and a read error is returned as is.
	read := false
	if _, err := app.BuildRawRequest(app.RawInput{Method: "GET", Body: func() ([]byte, error) { read = true; return nil, nil }}); err == nil || read {
		t.Fatalf("GET with a body: err %v, body read %v", err, read)
	}
	boom := errors.New("boom")
	if _, err := app.BuildRawRequest(app.RawInput{Body: func() ([]byte, error) { return nil, boom }}); !errors.Is(err, boom) {
		t.Fatalf("read error = %v", err)
	}
}
