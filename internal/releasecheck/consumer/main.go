// Command consumer is what a new library user writes: scripts/release-check.sh
// copies it into a fresh module that requires github.com/mpdata/mp at the
// release version from a module proxy, builds and runs it. It starts the
// sandbox Mixpanel of package mptest, opens a hermetic handle on a config in a
// temporary directory and goes through every namespace of the library:
// Accounts (add, list, show, update, test, token, token source, bridge
// export and removal, secret migration, remove), Targets (add, list, show,
// remove), the Workspace's session (Use with a target and Persist, Fork,
// Session, Describe), its data calls (Me, Projects, Workspaces,
// Segmentation, EventNames, Do, HTTPClient) and the *mp.Error branch.
//
// It imports only the library, mptest and the standard library, prints one
// "consumer: " line per namespace (release-check shows them) and exits 1 with
// a message naming the failed step. It never prints a secret.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// Account and target names the consumer creates.
const (
	serviceAccount = "consumer" // a fleet service account, the active one
	tokenAccount   = "ci-token" // an oauth_token account with mptest.DemoToken
	scratchAccount = "scratch"  // added to be removed
	targetName     = "fleet-p1" // the service account's second project
	scratchTarget  = "scratch-t"
)

// segmentation is a query the sandbox's seed answers (fleet projects list
// the event Login).
var segmentation = mp.SegmentationQuery{Event: "Login", From: "2026-01-01", To: "2026-01-07"}

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "consumer: FAILED: %v\n", err)
		os.Exit(1)
	}
}

// env is what every step needs: the sandbox, its fleet account, the
// temporary directory and the hermetic options that point a handle at both.
type env struct {
	srv  *mptest.Server
	sa   mptest.ServiceAccount
	dir  string
	opts []mp.Option
}

// project returns the id of the fleet account's project i.
func (e *env) project(i int) mp.ProjectID { return mp.ProjectID(fmt.Sprint(e.sa.Projects[i])) }

// workspace returns the id of the one workspace of the fleet account's
// project i (AddFleet gives each the project id plus 500 000).
func (e *env) workspace(i int) mp.WorkspaceID { return mp.WorkspaceID(e.sa.Projects[i] + 500_000) }

// open opens a handle with the hermetic options.
func (e *env) open(ctx context.Context, opts ...mp.Option) (*mp.Workspace, error) {
	return mp.Open(ctx, append(append([]mp.Option{}, e.opts...), opts...)...)
}

// run starts the sandbox and runs every step in order.
func run(ctx context.Context) error {
	seed := mptest.DefaultSeed()
	fleet := seed.AddFleet(1, 2)
	srv, err := mptest.Start(mptest.WithSeed(seed))
	if err != nil {
		return fmt.Errorf("mptest.Start: %w", err)
	}
	defer srv.Close()
	dir, err := os.MkdirTemp("", "mp-consumer-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	e := &env{srv: srv, sa: fleet[0], dir: dir, opts: []mp.Option{
		mp.WithConfigPath(filepath.Join(dir, "config.toml")),
		mp.WithStorageDir(filepath.Join(dir, "storage")),
		mp.WithEnv(map[string]string{"HOME": dir}), // nothing of the process environment
		mp.WithoutBridge(),                 // nor of a bridge file
		mp.WithAPIBaseURL(srv.RegionURL()), // talk to the sandbox
	}}

	ws, err := e.open(ctx) // an empty config: a handle to add accounts with
	if err != nil {
		return fmt.Errorf("open on an empty config: %w", err)
	}
	steps := []struct {
		name string
		do   func(context.Context, *env, *mp.Workspace) error
	}{
		{"accounts", checkAccounts},
		{"bridge", checkBridge},
		{"secrets", checkMigrate},
		{"targets", checkTargets},
		{"session", checkSession},
		{"data", checkData},
		{"http", checkHTTP},
		{"errors", checkErrors},
		{"cleanup", checkCleanup},
	}
	for _, s := range steps {
		if err := s.do(ctx, e, ws); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return summary(ctx, e)
}

// checkAccounts adds a service account, an oauth_token account and a
// scratch account, then lists, shows, updates, tests and removes them and
// reads the token account's token, directly and through TokenSource.
func checkAccounts(ctx context.Context, e *env, ws *mp.Workspace) error {
	added, err := ws.Accounts.Add(ctx, mp.Account{
		Name: serviceAccount, Type: mp.TypeServiceAccount, Region: mp.RegionUS,
		DefaultProject: e.project(0), Username: e.sa.Username, Secret: mp.NewSecret(e.sa.Secret),
	})
	if err != nil {
		return fmt.Errorf("Accounts.Add %s: %w", serviceAccount, err)
	}
	if !added.Promoted || ws.Account() != serviceAccount {
		return fmt.Errorf("the first account was not promoted (promoted %v, handle on %q)", added.Promoted, ws.Account())
	}
	if _, err := ws.Accounts.Add(ctx, mp.Account{
		Name: tokenAccount, Type: mp.TypeOAuthToken, Region: mp.RegionUS,
		DefaultProject: mp.ProjectID(fmt.Sprint(mptest.ProjectAIDemo)), Token: mp.NewSecret(mptest.DemoToken),
	}); err != nil {
		return fmt.Errorf("Accounts.Add %s: %w", tokenAccount, err)
	}
	demo := mptest.DemoServiceAccount()
	if _, err := ws.Accounts.Add(ctx, mp.Account{
		Name: scratchAccount, Type: mp.TypeServiceAccount, Region: mp.RegionUS,
		Username: demo.Username, Secret: mp.NewSecret(demo.Secret),
	}); err != nil {
		return fmt.Errorf("Accounts.Add %s: %w", scratchAccount, err)
	}

	list, err := ws.Accounts.List(ctx)
	if err != nil {
		return fmt.Errorf("Accounts.List: %w", err)
	}
	if len(list) != 3 {
		return fmt.Errorf("Accounts.List: %d accounts, want 3", len(list))
	}
	shown, err := ws.Accounts.Show(ctx, "") // the handle's account
	if err != nil {
		return fmt.Errorf("Accounts.Show: %w", err)
	}
	if shown.Name != serviceAccount || !shown.IsActive || shown.SecretStore != "config" {
		return fmt.Errorf("Accounts.Show: %+v, want the active %s with its secret in the config", shown, serviceAccount)
	}
	project := mp.ProjectID(fmt.Sprint(mptest.ProjectECommerce))
	updated, err := ws.Accounts.Update(ctx, tokenAccount, mp.AccountPatch{DefaultProject: &project})
	if err != nil {
		return fmt.Errorf("Accounts.Update: %w", err)
	}
	if updated.DefaultProject != project {
		return fmt.Errorf("Accounts.Update: default project %q, want %q", updated.DefaultProject, project)
	}
	tested, err := ws.Accounts.Test(ctx, serviceAccount)
	if err != nil {
		return fmt.Errorf("Accounts.Test: %w", err)
	}
	if !tested.OK || tested.ProjectCount != len(e.sa.Projects) {
		return fmt.Errorf("Accounts.Test: ok %v, %d projects, want ok and %d", tested.OK, tested.ProjectCount, len(e.sa.Projects))
	}
	if err := checkTokens(ctx, ws); err != nil {
		return err
	}

	removed, err := ws.Accounts.Remove(ctx, scratchAccount, mp.RemoveOptions{})
	if err != nil {
		return fmt.Errorf("Accounts.Remove: %w", err)
	}
	if removed.Name != scratchAccount || removed.WasActive {
		return fmt.Errorf("Accounts.Remove: %+v", removed)
	}
	fmt.Printf("consumer: accounts ok (%d accounts added, %s tested: %d projects of %s, %s removed)\n",
		len(list), tested.Account, tested.ProjectCount, tested.User.Email, removed.Name)
	return nil
}

// checkTokens reads the oauth_token account's token with Accounts.Token and
// with Accounts.TokenSource, compares them with the one given to Add without
// printing it, and checks that a service account has none.
func checkTokens(ctx context.Context, ws *mp.Workspace) error {
	tok, err := ws.Accounts.Token(ctx, tokenAccount)
	if err != nil {
		return fmt.Errorf("Accounts.Token: %w", err)
	}
	if tok.Reveal() != mptest.DemoToken {
		return fmt.Errorf("Accounts.Token: not the token given to Add (%v)", tok) // %v prints a redaction
	}
	t, err := ws.Accounts.TokenSource(ctx, tokenAccount).Token()
	if err != nil {
		return fmt.Errorf("Accounts.TokenSource: %w", err)
	}
	if t.AccessToken != mptest.DemoToken || !t.Expiry.IsZero() {
		return fmt.Errorf("Accounts.TokenSource: not the static token, or it expires (%v)", t.Expiry)
	}
	if _, err := ws.Accounts.Token(ctx, serviceAccount); !errors.Is(err, mp.CodeConfigError) {
		return fmt.Errorf("Accounts.Token of a service account: %v, want CONFIG_ERROR", err)
	}
	return nil
}

// checkBridge exports the service account to a bridge file outside the
// places mp looks (so no warning is due), then removes it.
func checkBridge(ctx context.Context, e *env, ws *mp.Workspace) error {
	path := filepath.Join(e.dir, "export", "bridge.json")
	out, err := ws.Accounts.ExportBridge(ctx, mp.BridgeExport{To: path, Project: e.project(1), Workspace: e.workspace(1)})
	if err != nil {
		return fmt.Errorf("Accounts.ExportBridge: %w", err)
	}
	if out.Path != path || out.Account != serviceAccount || out.Project != e.project(1) || out.TokensIncluded {
		return fmt.Errorf("Accounts.ExportBridge: %+v", out)
	}
	for _, w := range out.Warnings {
		if w.Code == "" || w.Message == "" {
			return fmt.Errorf("Accounts.ExportBridge: a warning without code or message: %+v", w)
		}
		if w.Code == mp.WarningBridgeInEffect {
			return fmt.Errorf("Accounts.ExportBridge: %s for a path mp does not look at: %s", w.Code, w.Message)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		return fmt.Errorf("Accounts.ExportBridge: the file is not there with mode 0600 (%v)", err)
	}
	gone, err := ws.Accounts.RemoveBridge(ctx, path)
	if err != nil {
		return fmt.Errorf("Accounts.RemoveBridge: %w", err)
	}
	if !gone.Removed {
		return fmt.Errorf("Accounts.RemoveBridge: nothing removed at %s", gone.Path)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("Accounts.RemoveBridge: the file is still there (%v)", err)
	}
	fmt.Printf("consumer: bridge ok (exported %s pinned to %s/%d, %d warnings, removed)\n",
		out.Account, out.Project, out.Workspace, len(out.Warnings))
	return nil
}

// checkMigrate moves every secret to the file backend, where they already
// are: nothing moves, and the config's secret_backend says "file".
func checkMigrate(ctx context.Context, _ *env, ws *mp.Workspace) error {
	res, err := ws.Accounts.MigrateSecrets(ctx, mp.MigrateOptions{To: "file"})
	if err != nil {
		return fmt.Errorf("Accounts.MigrateSecrets: %w", err)
	}
	moved := 0
	for _, a := range res.Accounts {
		if a.Moved {
			moved++
		}
	}
	if res.To != "file" || len(res.Accounts) != 2 || moved != 0 || res.NewSecrets != "file" {
		return fmt.Errorf("Accounts.MigrateSecrets: %+v", res)
	}
	fmt.Printf("consumer: secrets ok (migrate to file: %d accounts, %d moved, backend set %v)\n",
		len(res.Accounts), moved, res.BackendSet)
	return nil
}

// checkTargets saves two targets, lists and shows them, and removes one;
// the other is used by checkSession.
func checkTargets(ctx context.Context, e *env, ws *mp.Workspace) error {
	want := mp.Target{Name: targetName, Account: serviceAccount, Project: e.project(1), Workspace: e.workspace(1)}
	for _, t := range []mp.Target{want, {Name: scratchTarget, Account: tokenAccount, Project: mp.ProjectID(fmt.Sprint(mptest.ProjectLegacy))}} {
		if _, err := ws.Targets.Add(ctx, t); err != nil {
			return fmt.Errorf("Targets.Add %s: %w", t.Name, err)
		}
	}
	if _, err := ws.Targets.Add(ctx, want); !errors.Is(err, mp.CodeTargetExists) {
		return fmt.Errorf("Targets.Add of an existing name: %v, want TARGET_EXISTS", err)
	}
	list, err := ws.Targets.List(ctx)
	if err != nil {
		return fmt.Errorf("Targets.List: %w", err)
	}
	if len(list) != 2 || list[0].Name != targetName {
		return fmt.Errorf("Targets.List: %+v", list)
	}
	got, err := ws.Targets.Show(ctx, targetName)
	if err != nil {
		return fmt.Errorf("Targets.Show: %w", err)
	}
	if got != want {
		return fmt.Errorf("Targets.Show: %+v, want %+v", got, want)
	}
	removed, err := ws.Targets.Remove(ctx, scratchTarget)
	if err != nil {
		return fmt.Errorf("Targets.Remove: %w", err)
	}
	if removed.Name != scratchTarget {
		return fmt.Errorf("Targets.Remove: %+v", removed)
	}
	fmt.Printf("consumer: targets ok (%d saved, %s shown: %s/%s/%d, %s removed)\n",
		len(list), got.Name, got.Account, got.Project, got.Workspace, removed.Name)
	return nil
}

// checkSession switches the handle to the target and persists it, checks
// that a new handle starts there, forks a handle on the token account,
// goes back to a snapshot and describes the session with its provenance.
func checkSession(ctx context.Context, e *env, ws *mp.Workspace) error {
	start := ws.Session()
	if err := ws.Use(ctx, mp.WithTarget(targetName), mp.Persist()); err != nil {
		return fmt.Errorf("Workspace.Use(WithTarget, Persist): %w", err)
	}
	if ws.Project() != e.project(1) || ws.WorkspaceID() != e.workspace(1) {
		return fmt.Errorf("Workspace.Use(WithTarget): on %s", ws.Session())
	}
	reopened, err := e.open(ctx)
	if err != nil {
		return fmt.Errorf("reopen: %w", err)
	}
	if s := reopened.Session(); s.Account() != serviceAccount || s.Project() != e.project(1) || s.WorkspaceID() != e.workspace(1) {
		return fmt.Errorf("Workspace.Use(Persist): a new handle starts on %s", s)
	}

	fork, err := ws.Fork(ctx, mp.WithAccount(tokenAccount))
	if err != nil {
		return fmt.Errorf("Workspace.Fork: %w", err)
	}
	forked := fork.Session()
	if forked.Account() != tokenAccount || forked.AccountType() != mp.TypeOAuthToken || ws.Account() != serviceAccount {
		return fmt.Errorf("Workspace.Fork: fork on %s, handle on %s", forked, ws.Session())
	}
	if err := fork.Use(ctx, mp.WithSession(start)); err != nil {
		return fmt.Errorf("Workspace.Use(WithSession): %w", err)
	}
	if fork.Session() != start {
		return fmt.Errorf("Workspace.Use(WithSession): on %s, want %s", fork.Session(), start)
	}

	desc, err := ws.Describe(ctx, mp.DescribeOptions{Explain: true})
	if err != nil {
		return fmt.Errorf("Workspace.Describe: %w", err)
	}
	if desc.Account.Name != serviceAccount || desc.Project.ID != e.project(1) || desc.Workspace == nil || desc.Explain == nil {
		return fmt.Errorf("Workspace.Describe: %+v", desc)
	}
	if desc.Explain.Account.Winner.Kind != "target" || desc.Explain.Project.Winner.Kind != "target" {
		return fmt.Errorf("Workspace.Describe: the session came from target %s, but Explain says %+v", targetName, desc.Explain)
	}
	fmt.Printf("consumer: session ok (Use %s persisted: %s; fork on %s, back to %s; describe: account from %s, project from %s)\n",
		targetName, reopened.Session(), forked, fork.Session(), desc.Explain.Account.Winner.Kind, desc.Explain.Project.Winner.Kind)
	return nil
}

// checkData calls the data methods on the handle's session (the target's
// project and workspace) and one raw request with Do.
func checkData(ctx context.Context, e *env, ws *mp.Workspace) error {
	me, err := ws.Me(ctx)
	if err != nil {
		return fmt.Errorf("Workspace.Me: %w", err)
	}
	if me.User.Email != e.sa.Email || len(me.Projects) != len(e.sa.Projects) {
		return fmt.Errorf("Workspace.Me: user %q, %d projects", me.User.Email, len(me.Projects))
	}
	wss, err := ws.Workspaces(ctx)
	if err != nil {
		return fmt.Errorf("Workspace.Workspaces: %w", err)
	}
	if len(wss) != 1 || wss[0].ID != e.workspace(1) || !wss[0].IsActive {
		return fmt.Errorf("Workspace.Workspaces: %+v", wss)
	}
	res, err := ws.Segmentation(ctx, segmentation)
	if err != nil {
		return fmt.Errorf("Workspace.Segmentation: %w", err)
	}
	if res.Event != segmentation.Event || len(res.Series[segmentation.Event]) != 7 || res.Total <= 0 {
		return fmt.Errorf("Workspace.Segmentation: %+v", res)
	}
	names, err := ws.EventNames(ctx, 0)
	if err != nil {
		return fmt.Errorf("Workspace.EventNames: %w", err)
	}
	if len(names) == 0 {
		return errors.New("Workspace.EventNames: none")
	}
	raw, err := ws.Do(ctx, mp.RawRequest{
		Path:   "/api/query/segmentation",
		Params: []mp.Param{{Key: "event", Value: "Login"}, {Key: "from_date", Value: "2026-01-01"}, {Key: "to_date", Value: "2026-01-01"}},
	})
	if err != nil {
		return fmt.Errorf("Workspace.Do: %w", err)
	}
	if raw.Status != http.StatusOK || !json.Valid(raw.Body) {
		return fmt.Errorf("Workspace.Do: status %d, %d bytes", raw.Status, len(raw.Body))
	}
	fmt.Printf("consumer: data ok (me: %s; %d workspaces; %s %s..%s total %v; %d event names; Do: %d, %d bytes)\n",
		me.User.Email, len(wss), res.Event, res.FromDate, res.ToDate, res.Total, len(names), raw.Status, len(raw.Body))
	return nil
}

// checkHTTP sends a request of its own through HTTPClient (which rewrites
// mixpanel.com to the sandbox and authenticates it), checks that another
// host is refused, and closes the idle connections.
func checkHTTP(ctx context.Context, e *env, ws *mp.Workspace) error {
	hc := ws.HTTPClient()
	resp, err := hc.Get("https://mixpanel.com/api/app/me")
	if err != nil {
		return fmt.Errorf("Workspace.HTTPClient().Get: %w", err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return fmt.Errorf("Workspace.HTTPClient().Get: reading the body: %w", err)
	}
	var me struct {
		Status  string `json:"status"`
		Results struct {
			UserEmail string `json:"user_email"`
		} `json:"results"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &me) != nil || me.Results.UserEmail != e.sa.Email {
		return fmt.Errorf("Workspace.HTTPClient().Get: status %d, user %q", resp.StatusCode, me.Results.UserEmail)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://example.com/api/app/me", http.NoBody)
	if err != nil {
		return err
	}
	refused, err := hc.Do(req)
	if err == nil {
		_ = refused.Body.Close()
		return errors.New("Workspace.HTTPClient: a request to example.com was sent")
	}
	ws.CloseIdleConnections()
	fmt.Printf("consumer: http ok (GET /api/app/me: %d as %s; another host refused; idle connections closed)\n",
		resp.StatusCode, me.Results.UserEmail)
	return nil
}

// checkErrors reads a failed switch as an *mp.Error (errors.As) and by code
// (errors.Is), and checks that the session stayed as it was.
func checkErrors(ctx context.Context, _ *env, ws *mp.Workspace) error {
	before := ws.Session()
	err := ws.Use(ctx, mp.WithAccount("nobody"))
	var me *mp.Error
	if !errors.As(err, &me) {
		return fmt.Errorf("Workspace.Use of an unknown account: %v, want an *mp.Error", err)
	}
	if !errors.Is(err, mp.CodeAccountNotFound) || me.Code() != mp.CodeAccountNotFound || mp.CodeOf(err) != mp.CodeAccountNotFound {
		return fmt.Errorf("Workspace.Use of an unknown account: code %s, want %s", me.Code(), mp.CodeAccountNotFound)
	}
	if ws.Session() != before {
		return fmt.Errorf("a failed Use changed the session to %s", ws.Session())
	}
	fmt.Printf("consumer: errors ok (%s: %s)\n", me.Code(), me.Message())
	return nil
}

// checkCleanup removes the last target and forces the removal of the token
// account, then checks what is left.
func checkCleanup(ctx context.Context, _ *env, ws *mp.Workspace) error {
	if _, err := ws.Accounts.Remove(ctx, serviceAccount, mp.RemoveOptions{}); !errors.Is(err, mp.CodeAccountInUse) {
		return fmt.Errorf("Accounts.Remove of an account a target uses: %v, want ACCOUNT_IN_USE", err)
	}
	if _, err := ws.Targets.Remove(ctx, targetName); err != nil {
		return fmt.Errorf("Targets.Remove: %w", err)
	}
	if _, err := ws.Accounts.Remove(ctx, tokenAccount, mp.RemoveOptions{Force: true}); err != nil {
		return fmt.Errorf("Accounts.Remove(Force): %w", err)
	}
	left, err := ws.Accounts.List(ctx)
	if err != nil {
		return fmt.Errorf("Accounts.List: %w", err)
	}
	targets, err := ws.Targets.List(ctx)
	if err != nil {
		return fmt.Errorf("Targets.List: %w", err)
	}
	if len(left) != 1 || left[0].Name != serviceAccount || len(targets) != 0 {
		return fmt.Errorf("left: %d accounts, %d targets", len(left), len(targets))
	}
	fmt.Printf("consumer: cleanup ok (%d account, %d targets left)\n", len(left), len(targets))
	return nil
}

// summary opens a fresh handle and lists its projects: the line
// release-check has always printed.
func summary(ctx context.Context, e *env) error {
	ws, err := e.open(ctx)
	if err != nil {
		return fmt.Errorf("reopen: %w", err)
	}
	projects, err := ws.Projects(ctx)
	if err != nil {
		return fmt.Errorf("Workspace.Projects: %w", err)
	}
	if len(projects) != len(e.sa.Projects) {
		return fmt.Errorf("Workspace.Projects: %d, want %d", len(projects), len(e.sa.Projects))
	}
	fmt.Printf("consumer: opened a handle against mptest, %d projects:", len(projects))
	for _, p := range projects {
		fmt.Printf(" %v", p.ID)
	}
	fmt.Println()
	return nil
}
