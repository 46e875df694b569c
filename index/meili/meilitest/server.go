// Package meilitest starts real Meilisearch servers for tests, and puts a
// reverse proxy in front of them that injects faults (see Proxy).
//
// The server binary is $OTTWATCH_MEILISEARCH_BIN, else meilisearch on
// PATH. Without one the tests skip, unless $CI is "true": then they fail.
package meilitest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// BinEnv is the environment variable that names the Meilisearch binary.
const BinEnv = "OTTWATCH_MEILISEARCH_BIN"

// MasterKey is the master key of the servers of this package.
const MasterKey = "ottwatch-test-master-key-5f1c0e9a"

// Server is a Meilisearch process on a loopback port, with a database of
// its own and MasterKey.
type Server struct {
	URL     string // "http://127.0.0.1:<port>"
	Key     string // MasterKey
	Version string // as GET /version reports it

	bin, dir, addr string
	mu             sync.Mutex
	proc           *process
}

// process is one run of the server.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	log    string // the file the process writes to
}

// Binary returns the path of the Meilisearch binary: $OTTWATCH_MEILISEARCH_BIN,
// else meilisearch on PATH.
func Binary() (string, error) {
	if bin := os.Getenv(BinEnv); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			return "", fmt.Errorf("$%s: %w", BinEnv, err)
		}
		return bin, nil
	}
	bin, err := exec.LookPath("meilisearch")
	if err != nil {
		return "", fmt.Errorf("meilisearch is not on PATH and $%s is not set", BinEnv)
	}
	return bin, nil
}

// binary returns the binary, or skips the test (fails it when $CI is
// "true").
func binary(t testing.TB) string {
	t.Helper()
	bin, err := Binary()
	if err == nil {
		return bin
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("a Meilisearch binary is needed (CI=true): %v", err)
	}
	t.Skipf("no Meilisearch binary: %v", err)
	return ""
}

// Start starts a server of the test's own, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := binary(t)
	s, err := launch(bin, t.TempDir())
	if err != nil {
		t.Fatalf("start meilisearch: %v", err)
	}
	t.Cleanup(s.Stop)
	t.Logf("meilisearch %s at %s", s.Version, s.URL)
	return s
}

// shared is the server of Shared.
var shared struct {
	sync.Mutex
	s   *Server
	err error
}

// Shared returns a server that the tests of the package share, started at
// the first call; Main stops it. Each test should use indexes of its own.
func Shared(t testing.TB) *Server {
	t.Helper()
	bin := binary(t)
	shared.Lock()
	defer shared.Unlock()
	if shared.s == nil && shared.err == nil {
		dir, err := os.MkdirTemp("", "meilitest")
		if err == nil {
			shared.s, err = launch(bin, dir)
		}
		shared.err = err
	}
	if shared.err != nil {
		t.Fatalf("start meilisearch: %v", shared.err)
	}
	t.Logf("meilisearch %s at %s", shared.s.Version, shared.s.URL)
	return shared.s
}

// Main runs the tests of a package (call it from TestMain), stops the
// server of Shared and exits.
func Main(m *testing.M) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

// StopShared stops the server of Shared, if it was started; a TestMain
// that does more than Main calls it after m.Run.
func StopShared() {
	shared.Lock()
	defer shared.Unlock()
	if s := shared.s; s != nil {
		s.Stop()
		os.RemoveAll(s.dir)
	}
	shared.s, shared.err = nil, nil
}

// launch starts a server with its database in dir on a port that was free
// a moment ago, trying three ports.
func launch(bin, dir string) (*Server, error) {
	var lastErr error
	for range 3 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		addr := l.Addr().String()
		l.Close()
		s := &Server{URL: "http://" + addr, Key: MasterKey, bin: bin, dir: dir, addr: addr}
		if lastErr = s.run(); lastErr == nil {
			return s, nil
		}
	}
	return nil, lastErr
}

// run starts the process and waits until it is available.
func (s *Server) run() error {
	cmd := exec.Command(s.bin, "--db-path", s.dir+"/data.ms", "--http-addr", s.addr,
		"--master-key", s.Key, "--no-analytics", "--env", "development",
		"--dump-dir", s.dir+"/dumps", "--snapshot-dir", s.dir+"/snapshots")
	cmd.Dir = s.dir
	p := &process{cmd: cmd, exited: make(chan struct{}), log: s.dir + "/meilisearch.log"}
	out, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("server log: %w", err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", s.bin, err)
	}
	go func() {
		cmd.Wait()
		close(p.exited)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !s.available() {
		select {
		case <-p.exited:
			return fmt.Errorf("meilisearch on %s exited: %s", s.addr, p.tail())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop(syscall.SIGKILL)
			return fmt.Errorf("meilisearch on %s not available after 30s: %s", s.addr, p.tail())
		}
	}
	s.mu.Lock()
	s.proc = p
	s.mu.Unlock()
	v, err := s.Client().Version()
	if err != nil {
		return fmt.Errorf("meilisearch on %s: version: %w", s.addr, err)
	}
	s.Version = v.PkgVersion
	return nil
}

// available reports whether GET /health answers "available".
func (s *Server) available() bool {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(s.URL + "/health")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var h struct{ Status string }
	return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&h) == nil && h.Status == "available"
}

// Client returns a client of the server with the master key, without
// retries.
func (s *Server) Client() meilisearch.ServiceManager {
	return meilisearch.New(s.URL, meilisearch.WithAPIKey(s.Key), meilisearch.DisableRetries())
}

// Kill stops the server at once (SIGKILL), as a crash would.
func (s *Server) Kill() { s.halt(syscall.SIGKILL) }

// Restart starts the server again, on the same port and database, after
// Kill.
func (s *Server) Restart() error {
	if err := s.run(); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	return nil
}

// Stop stops the server (SIGTERM, then SIGKILL after 5s).
func (s *Server) Stop() { s.halt(syscall.SIGTERM) }

// halt stops the process with sig, if it runs.
func (s *Server) halt(sig syscall.Signal) {
	s.mu.Lock()
	p := s.proc
	s.proc = nil
	s.mu.Unlock()
	if p != nil {
		p.stop(sig)
	}
}

// stop signals the process and waits for it to exit.
func (p *process) stop(sig syscall.Signal) {
	p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

// Await waits for the task of a request to the server, and returns an
// error unless the request was sent and its task succeeded. Call it with
// the request: Await(client.DeleteIndex(uid)).
func (s *Server) Await(info *meilisearch.TaskInfo, err error) error {
	if err != nil {
		return fmt.Errorf("meilisearch: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	task, err := s.Client().WaitForTaskWithContext(ctx, info.TaskUID, 10*time.Millisecond)
	if err != nil {
		return fmt.Errorf("wait for task %d: %w", info.TaskUID, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return fmt.Errorf("task %d %s: %s", info.TaskUID, task.Status, task.Error.Message)
	}
	return nil
}

// tail returns the end of what the process wrote.
func (p *process) tail() string {
	out, _ := os.ReadFile(p.log)
	if len(out) > 2000 {
		out = out[len(out)-2000:]
	}
	return string(out)
}
