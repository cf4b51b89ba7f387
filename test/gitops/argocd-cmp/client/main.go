// cmp-client drives an argocd-cmp-server the way argocd-repo-server does: it finds the
// plugin by discovery over the sockets in $ARGOCD_PLUGINSOCKFILEPATH (the plugin's own
// `discover` rule decides), streams the app's files to it and asks it to generate. The
// environment is built as the repo-server builds it: the build environment (ARGOCD_APP_*),
// KUBE_VERSION, KUBE_API_VERSIONS, the Application's plugin env as ARGOCD_ENV_*, and its
// plugin parameters through Argo CD's own ApplicationSourcePluginParameters.Environ().
//
//	cmp-client -repo ROOT -app ROOT/path [-env NAME=VALUE]… [-parameters JSON] > manifests.yaml
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/app/discovery"
	"github.com/argoproj/argo-cd/v3/util/cmp"
)

type envFlags []string

func (e *envFlags) String() string     { return strings.Join(*e, ",") }
func (e *envFlags) Set(v string) error { *e = append(*e, v); return nil }

func main() {
	repo := flag.String("repo", "", "repository root")
	app := flag.String("app", "", "application path inside the repository")
	appName := flag.String("app-name", "demo", "ARGOCD_APP_NAME")
	appNamespace := flag.String("app-namespace", "shop", "ARGOCD_APP_NAMESPACE")
	kubeVersion := flag.String("kube-version", "v1.31.0", "KUBE_VERSION")
	apiVersions := flag.String("api-versions", "", "KUBE_API_VERSIONS (comma-separated)")
	parameters := flag.String("parameters", "[]", "spec.source.plugin.parameters as JSON")
	var appEnv envFlags
	flag.Var(&appEnv, "env", "spec.source.plugin.env entry NAME=VALUE (repeatable)")
	flag.Parse()

	repoPath, _ := filepath.Abs(*repo)
	appPath, _ := filepath.Abs(*app)
	env := []string{
		"ARGOCD_APP_NAME=" + *appName,
		"ARGOCD_APP_NAMESPACE=" + *appNamespace,
		"ARGOCD_APP_REVISION=0000000000000000000000000000000000000000",
		"ARGOCD_APP_SOURCE_REPO_URL=https://example.com/repo.git",
		"ARGOCD_APP_SOURCE_PATH=" + strings.TrimPrefix(strings.TrimPrefix(appPath, repoPath), "/"),
		"ARGOCD_APP_SOURCE_TARGET_REVISION=HEAD",
		"KUBE_VERSION=" + strings.TrimPrefix(*kubeVersion, "v"),
		"KUBE_API_VERSIONS=" + *apiVersions,
	}
	for _, entry := range appEnv {
		env = append(env, "ARGOCD_ENV_"+entry)
	}
	var params v1alpha1.ApplicationSourcePluginParameters
	if err := json.Unmarshal([]byte(*parameters), &params); err != nil {
		fail(fmt.Errorf("-parameters: %w", err))
	}
	paramEnv, err := params.Environ()
	if err != nil {
		fail(err)
	}
	env = append(env, paramEnv...)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, client, err := discovery.DetectConfigManagementPlugin(ctx, appPath, repoPath, "", env, nil)
	if err != nil {
		fail(err)
	}
	defer conn.Close()
	if _, err := client.CheckPluginConfiguration(ctx, &emptypb.Empty{}); err != nil {
		fail(err)
	}
	stream, err := client.GenerateManifest(ctx)
	if err != nil {
		fail(err)
	}
	if err := cmp.SendRepoStream(ctx, appPath, repoPath, stream, env, nil); err != nil {
		fail(err)
	}
	response, err := stream.CloseAndRecv()
	if err != nil {
		fail(err)
	}
	for _, manifest := range response.Manifests {
		fmt.Printf("---\n%s\n", manifest)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "cmp-client:", err)
	os.Exit(1)
}
