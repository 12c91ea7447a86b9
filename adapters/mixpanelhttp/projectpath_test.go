package mixpanelhttp

import (
	"regexp"
	"testing"
)

// isProjectPath answers what the regular expression it replaced answers.
var projectPathRE = regexp.MustCompile(`^/api/app/projects/[0-9]+(/|$)`)

var projectPathCases = []string{
	"/api/app/projects/123", "/api/app/projects/123/", "/api/app/projects/1/workspaces",
	"/api/app/projects/", "/api/app/projects", "/api/app/projects/x", "/api/app/projects/12x",
	"/api/app/projects//1", "/api/app/me", "", "/api/app/projects/0/", "api/app/projects/1",
	"/api/app/projects/１２", "/api/app/projects/12?x=1",
}

func TestIsProjectPathMatchesTheExpression(t *testing.T) {
	for _, p := range projectPathCases {
		if got, want := isProjectPath(p), projectPathRE.MatchString(p); got != want {
			t.Errorf("isProjectPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func FuzzIsProjectPath(f *testing.F) {
	for _, p := range projectPathCases {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := isProjectPath(p), projectPathRE.MatchString(p); got != want {
			t.Errorf("isProjectPath(%q) = %v, want %v", p, got, want)
		}
	})
}
