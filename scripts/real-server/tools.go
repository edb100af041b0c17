//go:build tools

// Pins the ColonyOS server that the real-server test tier runs (scripts/real-server.mjs builds it from the Go module
// proxy with `go build github.com/colonyos/colonies/cmd`). The version is the one in go.mod; go.sum pins its bytes.
package realserver

import _ "github.com/colonyos/colonies/cmd"
