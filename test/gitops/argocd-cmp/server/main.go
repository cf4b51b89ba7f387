// argocd-cmp-server as Argo CD builds it (cmd/argocd-cmp-server), compiled on its own: the
// full `argocd` binary holds every component and takes far longer to build.
package main

import (
	"os"

	"github.com/argoproj/argo-cd/v3/cmd/argocd-cmp-server/commands"
)

func main() {
	if err := commands.NewCommand().Execute(); err != nil {
		os.Exit(1)
	}
}
