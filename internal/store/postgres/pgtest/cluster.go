package pgtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

// A throwaway cluster is a PostgreSQL server of a test's own: initdb in a
// temporary directory, pg_ctl start on a free loopback port, trust
// authentication, fsync off (an immediate stop kills the server, not the
// machine, so written WAL survives; synchronous_commit stays on, or an
// acknowledged commit could be lost with the WAL buffers). Tests that stop and start the database (fault
// tests) use one, never the machine's shared server, which they must not
// disturb. As root (initdb refuses to run as root) the server runs as the
// postgres OS user, and the directory is handed to that user.

// ClusterHandle is a running (or stopped) throwaway cluster.
type ClusterHandle struct {
	dir  string // the temporary directory; data and socket inside
	port int
	bin  string // directory of initdb and pg_ctl
	cred *syscall.Credential

	mu      sync.Mutex
	running bool
}

// Cluster starts a throwaway cluster for t and stops it and removes its
// directory when t ends. It skips t when the PostgreSQL binaries are
// absent (fails under CI=true).
func Cluster(t testing.TB) *ClusterHandle {
	t.Helper()
	c, err := StartCluster()
	if err != nil {
		unavailableSkip(t, "cannot start a throwaway PostgreSQL cluster", err)
	}
	t.Cleanup(func() {
		if err := c.Remove(); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return c
}

func unavailableSkip(t testing.TB, what string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("pgtest: %s, and CI=true requires PostgreSQL: %v", what, err)
	}
	t.Skipf("pgtest: skipping: %s (install PostgreSQL's server binaries or set COGNITOD_TEST_POSTGRES; CI=true makes this a failure): %v", what, err)
}

// StartCluster starts a throwaway cluster; the caller must Remove it.
func StartCluster() (*ClusterHandle, error) {
	bin, err := serverBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "cognitod-pgtest-")
	if err != nil {
		return nil, err
	}
	c := &ClusterHandle{dir: dir, bin: bin}
	fail := func(err error) (*ClusterHandle, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fail(fmt.Errorf("running as root needs a postgres OS user for initdb: %w", err))
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
	}
	if err := c.run("initdb", "-D", c.data(), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--no-instructions"); err != nil {
		return fail(err)
	}
	if c.port, err = freePort(); err != nil {
		return fail(err)
	}
	if err := c.Start(); err != nil {
		return fail(err)
	}
	return c, nil
}

func (c *ClusterHandle) data() string { return filepath.Join(c.dir, "data") }

// DSN is the cluster's postgres database, as the postgres user.
func (c *ClusterHandle) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// Port is the loopback TCP port the cluster listens on.
func (c *ClusterHandle) Port() int { return c.port }

// Start starts the server on its data directory and port and waits until
// it accepts connections.
func (c *ClusterHandle) Start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return nil
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories=%s -c fsync=off -c full_page_writes=off -c max_connections=100",
		c.port, c.dir)
	if err := c.run("pg_ctl", "start", "-w", "-t", "60", "-D", c.data(), "-l", filepath.Join(c.dir, "server.log"), "-o", opts); err != nil {
		return err
	}
	c.running = true
	return nil
}

// Stop stops the server at once (pg_ctl stop -m immediate): every
// connection drops, as when a database host fails.
func (c *ClusterHandle) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.running {
		return nil
	}
	if err := c.run("pg_ctl", "stop", "-w", "-t", "60", "-m", "immediate", "-D", c.data()); err != nil {
		return err
	}
	c.running = false
	return nil
}

// Remove stops the server and deletes its directory.
func (c *ClusterHandle) Remove() error {
	err := c.Stop()
	if rerr := os.RemoveAll(c.dir); rerr != nil {
		err = errors.Join(err, rerr)
	}
	return err
}

// run runs one of the server binaries, as the postgres user when root.
func (c *ClusterHandle) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "server.log"))
		return fmt.Errorf("%s %v: %w\n%s\nserver log:\n%s", name, args[0], err, out.Bytes(), lastBytes(log, 2000))
	}
	return nil
}

func lastBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// serverBin finds the directory holding initdb and pg_ctl: the newest
// /usr/lib/postgresql/*/bin, else PATH.
func serverBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	p, err := exec.LookPath("initdb")
	if err != nil {
		return "", errors.New("no initdb in /usr/lib/postgresql/*/bin or on PATH")
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	d := filepath.Dir(p)
	if !isExec(filepath.Join(d, "pg_ctl")) {
		return "", fmt.Errorf("no pg_ctl next to %s", p)
	}
	return d, nil
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Freeze stops every process of the server with SIGSTOP: connections stay
// open and new ones are accepted by the kernel, but nothing answers, as
// with a hung host or a network that drops packets. Thaw resumes them.
func (c *ClusterHandle) Freeze() error { return c.signalAll(syscall.SIGSTOP) }

// Thaw resumes a frozen server.
func (c *ClusterHandle) Thaw() error { return c.signalAll(syscall.SIGCONT) }

// signalAll signals the postmaster (its pid is postmaster.pid's first
// line) and its children.
func (c *ClusterHandle) signalAll(sig syscall.Signal) error {
	b, err := os.ReadFile(filepath.Join(c.data(), "postmaster.pid"))
	if err != nil {
		return err
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(string(bytes.TrimSpace(line)))
	if err != nil {
		return fmt.Errorf("postmaster.pid: %w", err)
	}
	pids := []int{pid}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces and parens.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(b[i+1:])
		if len(f) < 2 {
			continue
		}
		if ppid, _ := strconv.Atoi(string(f[1])); ppid == pid {
			child, _ := strconv.Atoi(filepath.Base(filepath.Dir(st)))
			pids = append(pids, child)
		}
	}
	for _, p := range pids {
		if err := syscall.Kill(p, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
			return err
		}
	}
	return nil
}
