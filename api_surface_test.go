package mp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// TestAPIMentionsOnlyItsOwnTypes: no exported name of the package — type,
// field, function, method, constant or variable — is declared with a type
// of the packages behind it (app, domain, ports, wiring, the adapters), so
// that go doc shows every type where it is used and a consumer imports
// nothing but this package. Unexported fields may hold them.
func TestAPIMentionsOnlyItsOwnTypes(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = f
	}
	internal := map[string]bool{"app": true, "domain": true, "ports": true, "wiring": true, "version": true}
	var bad []string
	// check reports the selectors of internal packages in the expression.
	check := func(where string, n ast.Node) {
		if n == nil {
			return
		}
		ast.Inspect(n, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && internal[id.Name] {
					bad = append(bad, where+": "+id.Name+"."+sel.Sel.Name)
				}
			}
			return true
		})
	}
	// fields checks the exported fields (and embedded types) of a struct
	// or interface, recursively through nested literals.
	var fields func(where string, fl *ast.FieldList)
	fields = func(where string, fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			exported := len(f.Names) == 0
			for _, n := range f.Names {
				exported = exported || n.IsExported()
			}
			if !exported {
				continue
			}
			switch ft := f.Type.(type) {
			case *ast.StructType:
				fields(where, ft.Fields)
			default:
				check(where, f.Type)
			}
		}
	}
	decls := 0
	for name, file := range files {
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv != nil {
					recv := d.Recv.List[0].Type
					if st, ok := recv.(*ast.StarExpr); ok {
						recv = st.X
					}
					if id, ok := recv.(*ast.Ident); !ok || !id.IsExported() {
						continue
					}
				}
				decls++
				check(name+": func "+d.Name.Name, d.Type)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						decls++
						where := name + ": type " + s.Name.Name
						if s.Assign.IsValid() {
							bad = append(bad, where+": a type alias")
						}
						switch tt := s.Type.(type) {
						case *ast.StructType:
							fields(where, tt.Fields)
						case *ast.InterfaceType:
							fields(where, tt.Methods)
						default:
							check(where, s.Type)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								decls++
								check(name+": "+n.Name, s.Type)
							}
						}
					}
				}
			}
		}
	}
	if decls < 50 {
		t.Fatalf("found only %d exported declarations; the parse is wrong", decls)
	}
	for _, b := range bad {
		t.Errorf("the exported API mentions an internal type: %s", b)
	}
}

// TestEveryCodeHasAConstant: the package declares a Code constant for
// every error code mp can return, with the same value.
func TestEveryCodeHasAConstant(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "errors.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					declared[n.Name] = true
				}
			}
		}
	}
	for _, c := range domain.Codes() {
		name := "Code" + camel(string(c))
		if !declared[name] {
			t.Errorf("no constant %s for the code %s", name, c)
		}
	}
	if len(declared) != len(domain.Codes()) {
		t.Errorf("errors.go declares %d code constants, mp has %d codes", len(declared), len(domain.Codes()))
	}
}

// camel turns ACCOUNT_NOT_FOUND into AccountNotFound (and OAUTH into OAuth,
// HTTP and API as they are).
func camel(code string) string {
	var b strings.Builder
	for _, w := range strings.Split(code, "_") {
		switch w {
		case "OAUTH":
			b.WriteString("OAuth")
		case "HTTP", "API":
			b.WriteString(w)
		default:
			b.WriteString(w[:1] + strings.ToLower(w[1:]))
		}
	}
	return b.String()
}
