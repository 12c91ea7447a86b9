// Command relmod checks and packages mp's modules for a release, the way a
// module proxy would serve them. It is a development tool of the
// repository (module github.com/mpdata/mp/tools, outside go.work) and is
// never part of what a release ships.
//
//	relmod check              every go.mod is publishable at the VERSION
//	relmod tags               the git tags the VERSION implies, one a line
//	relmod bump vX.Y.Z        write VERSION and every sibling requirement
//	relmod proxy -out DIR     a GOPROXY=file://DIR module proxy of the tree
//
// The modules are the directories of go.work's use directives; the version
// is the VERSION file at the repository root. "Publishable" means: each
// go.mod names its module path under github.com/mpdata/mp, requires its
// sibling modules at exactly the VERSION, has no replace and no tool
// directive (neither reaches a consumer correctly: a replace makes
// `go install …@version` refuse the module, tool requirements would join
// every consumer's module graph), and its go.sum holds no hash of a sibling
// (those change with every commit; a consumer's go command never reads a
// dependency's go.sum).
//
// proxy writes the layout `go help goproxy` documents
// (<module>/@v/list, <version>.info, <version>.mod, <version>.zip), zipping
// with golang.org/x/mod/zip what git would put in the tags: the tracked and
// untracked-but-not-ignored files of the work tree (so uncommitted edits
// are included), minus nested modules. The .info time is HEAD's commit
// time.
package main
