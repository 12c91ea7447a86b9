package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/zip"
)

// root is the path of the repository's root module.
const root = "github.com/mpdata/mp"

const usage = `usage: relmod [-repo DIR] check | tags | bump vX.Y.Z | proxy -out DIR`

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "relmod: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("relmod", flag.ContinueOnError)
	repo := fl.String("repo", ".", "repository root (holds go.work and VERSION)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() == 0 {
		return errors.New(usage)
	}
	r, err := load(*repo)
	if err != nil {
		return err
	}
	switch cmd, rest := fl.Arg(0), fl.Args()[1:]; cmd {
	case "check":
		if err := r.check(); err != nil {
			return err
		}
		fmt.Fprintf(out, "relmod: %d modules publishable at %s (no replace, no tool directive, siblings at %s)\n", len(r.mods), r.version, r.version)
		return nil
	case "tags":
		for _, m := range r.mods {
			fmt.Fprintln(out, m.tag(r.version))
		}
		return nil
	case "bump":
		if len(rest) != 1 {
			return errors.New("bump needs exactly one version, e.g. relmod bump v0.2.0")
		}
		return r.bump(rest[0], out)
	case "proxy":
		pf := flag.NewFlagSet("proxy", flag.ContinueOnError)
		dir := pf.String("out", "", "directory to write the proxy into (replaced)")
		if err := pf.Parse(rest); err != nil {
			return err
		}
		if *dir == "" {
			return errors.New("proxy needs -out DIR")
		}
		if err := r.check(); err != nil {
			return err
		}
		return r.proxy(*dir, out)
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

// repo is the repository: its root, VERSION and modules.
type repo struct {
	dir     string
	version string
	mods    []mod
	work    *modfile.WorkFile
	workRaw []byte
}

// mod is one module of go.work.
type mod struct {
	dir  string // slash path relative to the repository root, "." for the root
	path string // module path
	file *modfile.File
	raw  []byte
}

// tag is the git tag of m at version v: vX.Y.Z for the root module,
// DIR/vX.Y.Z for the others.
func (m mod) tag(v string) string {
	if m.dir == "." {
		return v
	}
	return m.dir + "/" + v
}

func load(dir string) (*repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	vfile := filepath.Join(abs, "VERSION")
	b, err := os.ReadFile(vfile)
	if err != nil {
		return nil, fmt.Errorf("read the release version: %w (the repository root must hold a VERSION file with one line, e.g. v0.1.0)", err)
	}
	v := strings.TrimSpace(string(b))
	if err := validVersion(v); err != nil {
		return nil, fmt.Errorf("%s: %w", vfile, err)
	}
	wfile := filepath.Join(abs, "go.work")
	wb, err := os.ReadFile(wfile)
	if err != nil {
		return nil, fmt.Errorf("read the module list: %w", err)
	}
	wf, err := modfile.ParseWork(wfile, wb, nil)
	if err != nil {
		return nil, err
	}
	r := &repo{dir: abs, version: v, work: wf, workRaw: wb}
	for _, u := range wf.Use {
		d := path.Clean(filepath.ToSlash(u.Path))
		gm := filepath.Join(abs, filepath.FromSlash(d), "go.mod")
		raw, err := os.ReadFile(gm)
		if err != nil {
			return nil, fmt.Errorf("go.work uses %s: %w", u.Path, err)
		}
		f, err := modfile.Parse(gm, raw, nil)
		if err != nil {
			return nil, err
		}
		if f.Module == nil {
			return nil, fmt.Errorf("%s: no module line", gm)
		}
		r.mods = append(r.mods, mod{dir: d, path: f.Module.Mod.Path, file: f, raw: raw})
	}
	sort.Slice(r.mods, func(i, j int) bool { return r.mods[i].path < r.mods[j].path })
	return r, nil
}

func validVersion(v string) error {
	if !semver.IsValid(v) || semver.Canonical(v) != v || semver.Build(v) != "" {
		return fmt.Errorf("version %q is not a canonical semantic version like v1.2.3 (or v1.2.3-rc.1)", v)
	}
	if semver.Major(v) != "v0" && semver.Major(v) != "v1" {
		return fmt.Errorf("version %q: a major version above v1 needs /vN module paths first", v)
	}
	return nil
}

func (r *repo) ours(p string) bool {
	for _, m := range r.mods {
		if m.path == p {
			return true
		}
	}
	return false
}

// check reports every way a go.mod or go.sum is not publishable at the
// VERSION, all at once.
func (r *repo) check() error {
	var probs []string
	for _, m := range r.mods {
		gm := path.Join(m.dir, "go.mod")
		want := root
		if m.dir != "." {
			want = root + "/" + m.dir
		}
		if m.path != want {
			probs = append(probs, fmt.Sprintf("%s: module %s, want %s (the path must match the directory for the tag %s to serve it)", gm, m.path, want, m.tag(r.version)))
		}
		for _, rep := range m.file.Replace {
			probs = append(probs, fmt.Sprintf("%s:%d: replace %s: remove it (go.work joins the modules for development; `go install …@version` refuses a module with replace directives)", gm, rep.Syntax.Start.Line, rep.Old.Path))
		}
		for _, t := range m.file.Tool {
			probs = append(probs, fmt.Sprintf("%s:%d: tool %s: move it to tools/go.mod (a tool's requirements would join every consumer's module graph)", gm, t.Syntax.Start.Line, t.Path))
		}
		for _, req := range m.file.Require {
			if r.ours(req.Mod.Path) && req.Mod.Version != r.version {
				probs = append(probs, fmt.Sprintf("%s:%d: requires %s %s, want %s (VERSION); run: make bump NEW=%s", gm, req.Syntax.Start.Line, req.Mod.Path, req.Mod.Version, r.version, r.version))
			}
		}
		gs := path.Join(m.dir, "go.sum")
		sum, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(gs)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for i, line := range strings.Split(string(sum), "\n") {
			if f := strings.Fields(line); len(f) > 0 && r.ours(f[0]) {
				probs = append(probs, fmt.Sprintf("%s:%d: a hash of %s: delete the line (sibling hashes change with every commit; consumers never read it)", gs, i+1, f[0]))
			}
		}
	}
	// go.work replaces every sibling at the VERSION by its directory: a
	// workspace still loads the go.mod of a required version, which exists
	// on no proxy until the tags are pushed.
	replaced := map[string]bool{}
	for _, rep := range r.work.Replace {
		if !r.ours(rep.Old.Path) {
			continue
		}
		replaced[rep.Old.Path] = true
		if rep.Old.Version != r.version {
			probs = append(probs, fmt.Sprintf("go.work:%d: replace %s %s, want %s (VERSION); run: make bump NEW=%s", rep.Syntax.Start.Line, rep.Old.Path, rep.Old.Version, r.version, r.version))
		}
	}
	required := map[string]bool{}
	for _, m := range r.mods {
		for _, req := range m.file.Require {
			required[req.Mod.Path] = true
		}
	}
	for _, m := range r.mods {
		if required[m.path] && !replaced[m.path] {
			probs = append(probs, fmt.Sprintf("go.work: no replace %s %s => ./%s (the workspace needs it to resolve the sibling requirement)", m.path, r.version, strings.TrimPrefix(m.dir, ".")))
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("the modules are not publishable at %s:\n  %s", r.version, strings.Join(probs, "\n  "))
	}
	return nil
}

// bump writes v into VERSION and into every requirement of a sibling.
func (r *repo) bump(v string, out io.Writer) error {
	if err := validVersion(v); err != nil {
		return err
	}
	type write struct {
		name string
		data []byte
	}
	var writes []write
	for _, m := range r.mods {
		changed := false
		for _, req := range m.file.Require {
			if r.ours(req.Mod.Path) && req.Mod.Version != v {
				if err := m.file.AddRequire(req.Mod.Path, v); err != nil {
					return err
				}
				changed = true
			}
		}
		if !changed {
			continue
		}
		m.file.Cleanup()
		data, err := m.file.Format()
		if err != nil {
			return err
		}
		writes = append(writes, write{filepath.Join(r.dir, filepath.FromSlash(m.dir), "go.mod"), data})
	}
	// go.work's replace lines of the siblings: "PATH vOLD => DIR" becomes
	// "PATH v => DIR" (a text edit keeps the file's layout).
	work := r.workRaw
	for _, rep := range r.work.Replace {
		if r.ours(rep.Old.Path) && rep.Old.Version != "" {
			re := regexp.MustCompile(`(?m)^(\s*(?:replace\s+)?` + regexp.QuoteMeta(rep.Old.Path) + `\s+)` + regexp.QuoteMeta(rep.Old.Version) + `(\s+=>)`)
			work = re.ReplaceAll(work, []byte("${1}"+v+"${2}"))
		}
	}
	writes = append(writes, write{filepath.Join(r.dir, "go.work"), work})
	writes = append(writes, write{filepath.Join(r.dir, "VERSION"), []byte(v + "\n")})
	for _, w := range writes {
		if err := writeAtomic(w.name, w.data); err != nil {
			return err
		}
		fmt.Fprintf(out, "relmod: wrote %s\n", w.name)
	}
	return nil
}

func writeAtomic(name string, data []byte) error {
	tmp := name + ".relmod-tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// proxy writes a file-based module proxy holding every module at the
// VERSION into dir.
func (r *repo) proxy(dir string, out io.Writer) error {
	files, err := r.treeFiles()
	if err != nil {
		return err
	}
	t, err := git(r.dir, "log", "-1", "--format=%cI")
	if err != nil {
		return fmt.Errorf("the commit time for the .info files: %w", err)
	}
	ct, err := time.Parse(time.RFC3339, strings.TrimSpace(t))
	if err != nil {
		return fmt.Errorf("the commit time %q: %w", t, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{r.version, ct.UTC()})
	if err != nil {
		return err
	}
	for _, m := range r.mods {
		esc, err := module.EscapePath(m.path)
		if err != nil {
			return err
		}
		vdir := filepath.Join(dir, filepath.FromSlash(esc), "@v")
		if err := os.MkdirAll(vdir, 0o755); err != nil {
			return err
		}
		var zf []zip.File
		prefix := m.dir + "/"
		for _, f := range files {
			switch {
			case m.dir == ".":
				zf = append(zf, treeFile{name: f, abs: filepath.Join(r.dir, filepath.FromSlash(f))})
			case strings.HasPrefix(f, prefix):
				zf = append(zf, treeFile{name: strings.TrimPrefix(f, prefix), abs: filepath.Join(r.dir, filepath.FromSlash(f))})
			}
		}
		var buf bytes.Buffer
		mv := module.Version{Path: m.path, Version: r.version}
		if err := zip.Create(&buf, mv, zf); err != nil {
			return fmt.Errorf("zip %s: %w", mv, err)
		}
		for name, data := range map[string][]byte{
			"list":              []byte(r.version + "\n"),
			r.version + ".info": info,
			r.version + ".mod":  m.raw,
			r.version + ".zip":  buf.Bytes(),
		} {
			if err := os.WriteFile(filepath.Join(vdir, name), data, 0o644); err != nil {
				return err
			}
		}
		fmt.Fprintf(out, "relmod: %-28s %s  %4d KiB zip\n", m.path, r.version, (buf.Len()+1023)/1024)
	}
	return nil
}

// treeFiles lists what a commit of the work tree would hold: tracked and
// untracked-but-not-ignored regular files (slash paths), without the ones
// deleted from the work tree.
func (r *repo) treeFiles() ([]string, error) {
	o, err := git(r.dir, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		return nil, err
	}
	var files []string
	for _, f := range strings.Split(o, "\x00") {
		if f == "" {
			continue
		}
		fi, err := os.Lstat(filepath.Join(r.dir, filepath.FromSlash(f)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if fi.Mode().IsRegular() {
			files = append(files, f)
		}
	}
	return files, nil
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	o, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(o), nil
}

// treeFile is a file of the work tree, named by its path in the module.
type treeFile struct{ name, abs string }

func (f treeFile) Path() string                 { return f.name }
func (f treeFile) Lstat() (os.FileInfo, error)  { return os.Lstat(f.abs) }
func (f treeFile) Open() (io.ReadCloser, error) { return os.Open(f.abs) }
