package main

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	wacli "github.com/waconsole/waconsole/cli"
)

const dockerfile = "deploy/docker/Dockerfile"

// The image builds, runs waconsole as a user other than root, and its
// browser starts. It needs a Docker daemon, which the issue lets this
// test do without.
func TestDockerImageBuilds(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	if err := exec.CommandContext(ctx, "docker", "info").Run(); err != nil {
		t.Skip("no Docker daemon here (docker info: " + err.Error() + "); check the image by hand: " +
			"docker build -f deploy/docker/Dockerfile -t waconsole . && docker run --rm waconsole version && " +
			"docker run --rm --entrypoint /usr/local/bin/chromium-no-sandbox waconsole --version")
	}
	tag := "waconsole-test:" + time.Now().Format("20060102150405")
	if out, err := exec.CommandContext(ctx, "docker", "build", "-f", dockerfile, "-t", tag, ".").CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", "-f", tag).Run() })
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if out := run("run", "--rm", tag, "version"); !strings.HasPrefix(out, "waconsole ") {
		t.Errorf("waconsole version in the image: %q", out)
	}
	if out := run("run", "--rm", "--entrypoint", "id", tag, "-u"); out == "0" {
		t.Error("the image runs as root")
	}
	if out := run("run", "--rm", "--entrypoint", "/usr/local/bin/chromium-no-sandbox", tag, "--version"); !strings.Contains(out, "Chromium") {
		t.Errorf("the browser in the image: %q", out)
	}
}

// What the Dockerfile and compose.yaml promise, checked where Docker is
// not: a user other than root, the data dir on a volume, status as the
// health check, an exec-form entry point that passes SIGTERM on, a
// restart policy and enough time for a clean stop.
func TestDockerFilesKeepTheirPromises(t *testing.T) {
	raw, err := os.ReadFile(dockerfile)
	if err != nil {
		t.Fatal(err)
	}
	// Continuation lines joined: one instruction a line.
	df := strings.ReplaceAll(string(raw), "\\\n", " ")
	for what, re := range map[string]string{
		"a user other than root":              `(?m)^USER\s+waconsole$`,
		"the data dir on a volume":            `(?m)^VOLUME\s+/data$`,
		"status as the health check":          `(?m)^HEALTHCHECK\s.*CMD \["waconsole", "status", "--data-dir", "/data"\]$`,
		"an exec-form entry point under tini": `(?m)^ENTRYPOINT \["/usr/bin/tini", "--", "waconsole"\]$`,
		"serve on /data with the wrapper":     `(?m)^CMD \["serve", "--data-dir", "/data", "--chrome", "/usr/local/bin/chromium-no-sandbox"\]$`,
		"the headless shell installed":        `(?m)^RUN apt-get .*install .*chromium-headless-shell`,
		"the wrapper copied":                  `(?m)^COPY deploy/docker/chromium-no-sandbox /usr/local/bin/chromium-no-sandbox$`,
	} {
		if !regexp.MustCompile(re).MatchString(df) {
			t.Errorf("the Dockerfile lacks %s (%s)", what, re)
		}
	}
	info, err := os.Stat("deploy/docker/chromium-no-sandbox")
	if err != nil || info.Mode().Perm()&0o111 == 0 {
		t.Errorf("the browser wrapper is not executable: %v %v", info, err)
	}

	raw, err = os.ReadFile("deploy/docker/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Restart         string   `yaml:"restart"`
			StopGracePeriod string   `yaml:"stop_grace_period"`
			Command         []string `yaml:"command"`
			Volumes         []string `yaml:"volumes"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatal(err)
	}
	svc, ok := compose.Services["waconsole"]
	if !ok {
		t.Fatalf("compose.yaml has no waconsole service: %+v", compose)
	}
	if svc.Restart != "unless-stopped" {
		t.Errorf("restart: %q, want unless-stopped", svc.Restart)
	}
	if grace, err := time.ParseDuration(svc.StopGracePeriod); err != nil || grace <= wacli.StopTimeout {
		t.Errorf("stop_grace_period %q: want more than serve's clean stop (%s)", svc.StopGracePeriod, wacli.StopTimeout)
	}
	if !slices.Contains(svc.Command, "--data-dir=/data") {
		t.Errorf("command %q does not name the data dir /data", svc.Command)
	}
	// Every flag the compose file passes is one serve takes.
	_, help, _ := cli(t, "serve", "-h")
	for _, arg := range svc.Command[1:] {
		name, _, _ := strings.Cut(arg, "=")
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(strings.TrimPrefix(name, "-")) + `( |$)`).MatchString(help) {
			t.Errorf("compose passes %s, which serve does not take:\n%s", name, help)
		}
	}
	named := false
	for _, v := range svc.Volumes {
		name, target, _ := strings.Cut(v, ":")
		if _, ok := compose.Volumes[name]; ok && strings.HasPrefix(target, "/data") {
			named = true
		}
	}
	if !named {
		t.Errorf("volumes %q: want a named volume on /data", svc.Volumes)
	}
}
