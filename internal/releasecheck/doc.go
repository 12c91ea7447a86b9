// Package releasecheck holds the programs that scripts/release-check.sh
// builds outside the repository, as a user of a release would. They are
// compiled with the workspace too, so a change of the library's API that
// breaks them fails `go build work` long before a release.
package releasecheck
