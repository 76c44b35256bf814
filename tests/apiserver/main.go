// Command kmapi is the test cluster of kafkamesh's server tests: one binary that is either
//
//	kmapi serve DIR      a kube-apiserver with an embedded etcd on loopback; DIR/kubeconfig
//	                     appears once /readyz answers, and the server stops on SIGTERM/SIGINT
//	kmapi kubectl ARGS   kubectl of the same Kubernetes release (also when run as "kubectl")
//
// The server's flags follow what a test control plane needs (controller-runtime envtest,
// pkg/internal/testing/controlplane/apiserver.go; README.md beside this file says more).
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	if filepath.Base(os.Args[0]) == "kubectl" {
		runKubectl()
		return
	}
	if len(os.Args) >= 2 && os.Args[1] == "kubectl" {
		os.Args = append([]string{"kubectl"}, os.Args[2:]...)
		runKubectl()
		return
	}
	if len(os.Args) == 3 && os.Args[1] == "serve" {
		if err := serve(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "kmapi:", err)
			os.Exit(1)
		}
		return
	}
	fmt.Fprintln(os.Stderr, "usage: kmapi serve DIR | kmapi kubectl ARGS...")
	os.Exit(2)
}

// runKubectl is what cmd/kubectl/kubectl.go of the release does.
func runKubectl() {
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		util.CheckErr(err)
	}
}

// freePort asks the kernel for a loopback port that is free now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func mustURL(s string) url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return *u
}

// startEtcd runs a single-member etcd in dir/etcd, listening on loopback only.
func startEtcd(dir string) (*embed.Etcd, string, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	cfg := embed.NewConfig()
	cfg.Dir = filepath.Join(dir, "etcd")
	cfg.LogLevel = "error"
	cfg.UnsafeNoFsync = true // a throw-away store: no fsync
	client := fmt.Sprintf("http://127.0.0.1:%d", clientPort)
	peer := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
	cfg.ListenClientUrls = []url.URL{mustURL(client)}
	cfg.AdvertiseClientUrls = cfg.ListenClientUrls
	cfg.ListenPeerUrls = []url.URL{mustURL(peer)}
	cfg.AdvertisePeerUrls = cfg.ListenPeerUrls
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, client, nil
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", fmt.Errorf("etcd not ready after 60s")
	}
}

// writeServiceAccountKey writes the RSA key the server signs and checks service account tokens with.
func writeServiceAccountKey(path string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	return os.WriteFile(path, pem.EncodeToMemory(block), 0o600)
}

func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

const kubeconfigTemplate = `apiVersion: v1
kind: Config
clusters:
- name: kmapi
  cluster:
    server: https://127.0.0.1:%d
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: %s
contexts:
- name: kmapi
  context:
    cluster: kmapi
    user: admin
current-context: kmapi
`

// waitReady polls /readyz and then writes the kubeconfig atomically, so that its presence means
// the server answers.
func waitReady(dir string, port int, token string) {
	client := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
	}
	for {
		req, _ := http.NewRequest("GET", fmt.Sprintf("https://127.0.0.1:%d/readyz", port), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	tmp := filepath.Join(dir, "kubeconfig.tmp")
	if err := os.WriteFile(tmp, []byte(fmt.Sprintf(kubeconfigTemplate, port, token)), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "kmapi:", err)
		os.Exit(1)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "kubeconfig")); err != nil {
		fmt.Fprintln(os.Stderr, "kmapi:", err)
		os.Exit(1)
	}
}

func serve(dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "certs"), 0o700); err != nil {
		return err
	}
	etcd, etcdURL, err := startEtcd(dir)
	if err != nil {
		return err
	}
	defer etcd.Close()
	saKey := filepath.Join(dir, "service-account.key")
	if err := writeServiceAccountKey(saKey); err != nil {
		return err
	}
	token, err := randomToken()
	if err != nil {
		return err
	}
	// One static token in system:masters: the test's kubectl is the cluster admin.
	tokens := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(tokens, []byte(token+`,admin,admin,"system:masters"`+"\n"), 0o600); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	args := []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", port),
		"--cert-dir=" + filepath.Join(dir, "certs"),
		"--token-auth-file=" + tokens,
		"--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.0.0.0/24",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + saKey,
		"--service-account-signing-key-file=" + saKey,
		"--allow-privileged=true",
		"--disable-admission-plugins=ServiceAccount",
		"--endpoint-reconciler-type=none",
		"--enable-priority-and-fairness=false",
		"--profiling=false",
	}
	go waitReady(dir, port, token)
	command := app.NewAPIServerCommand()
	command.SetArgs(args)
	if code := cli.Run(command); code != 0 {
		return fmt.Errorf("kube-apiserver exited with %d (%s)", code, strings.Join(args, " "))
	}
	return nil
}
