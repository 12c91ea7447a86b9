package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mpdata/mp/domain"
)

// RawInput is a raw request as a person or program gives it (`mp api`,
// the library): an optional method, a path, key=value fields and an
// optional body.
type RawInput struct {
	// Method is the HTTP method; empty means POST when there is a body,
	// else GET.
	Method string
	// Path is the API path (/api/app/… or /api/query/…).
	Path string
	// Fields are parameters: query parameters for GET, HEAD and DELETE,
	// and whenever Body is set; otherwise (POST, PUT, PATCH) the string
	// fields of a JSON object body.
	Fields []domain.Param
	// Body, when set, reads the request body. It is called only once the
	// method is known to allow a body, so a refused request reads nothing.
	Body func() ([]byte, error)
}

// BuildRawRequest turns in into the request RawAPI.Do sends, with the
// rules of `mp api`: the default method, fields as query parameters or as a
// JSON object body, a given body sent as is (Content-Type application/json
// when it parses as JSON, else application/octet-stream), and no body on
// GET or HEAD (INVALID_ARGUMENT). The path itself is checked by Do.
func BuildRawRequest(in RawInput) (domain.RawRequest, error) {
	req := domain.RawRequest{Path: in.Path}
	method := strings.ToUpper(in.Method)
	switch {
	case method == "" && in.Body != nil:
		method = "POST"
	case method == "":
		method = "GET"
	case !slices.Contains(domain.RawMethods(), method):
		return req, domain.NewError(domain.CodeInvalidArgument, "flag -X: %q is not a supported HTTP method", in.Method).
			WithDetail("flag", "-X").
			WithHint("use one of %s", strings.Join(domain.RawMethods(), ", "))
	}
	req.Method = method
	if in.Body != nil {
		if method == "GET" || method == "HEAD" {
			return req, domain.NewError(domain.CodeInvalidArgument, "--input sends a request body, which a %s request does not have", method).
				WithHint("drop --input, or pass -X POST (or PUT, PATCH, DELETE)")
		}
		body, err := in.Body()
		if err != nil {
			return req, err
		}
		req.Body, req.ContentType, req.Params = body, rawContentType(body), in.Fields
		return req, nil
	}
	switch method {
	case "POST", "PUT", "PATCH":
		if len(in.Fields) > 0 {
			obj := make(map[string]string, len(in.Fields))
			for _, p := range in.Fields {
				obj[p.Key] = p.Value
			}
			b, err := json.Marshal(obj)
			if err != nil {
				return req, fmt.Errorf("encode the fields as a JSON body: %w", err)
			}
			req.Body, req.ContentType = b, "application/json"
		}
	default:
		req.Params = in.Fields
	}
	return req, nil
}

// rawContentType is the Content-Type of a given body.
func rawContentType(body []byte) string {
	if json.Valid(body) {
		return "application/json"
	}
	return "application/octet-stream"
}
