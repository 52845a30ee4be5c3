package pgtest

import (
	"context"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func connect(t *testing.T, dsn string) (*pgx.Conn, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return pgx.Connect(ctx, dsn)
}

// TestCluster: a throwaway cluster answers on its DSN; after Stop nothing
// listens on its port; after Start it answers again on the same port with
// the data written before (a row committed before an immediate stop
// survives it).
func TestCluster(t *testing.T) {
	c := Cluster(t)
	ctx := context.Background()
	conn, err := connect(t, c.DSN())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if nc, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(c.Port()), time.Second); err == nil {
		nc.Close()
		t.Fatal("the port still accepts connections after Stop")
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	conn, err = connect(t, c.DSN())
	if err != nil {
		t.Fatalf("after Start: %v", err)
	}
	defer conn.Close(ctx)
	var v int
	if err := conn.QueryRow(ctx, `SELECT v FROM kept`).Scan(&v); err != nil || v != 42 {
		t.Fatalf("row written before the stop: %d, %v", v, err)
	}
	if fi, err := os.Stat(c.dir); err != nil || !fi.IsDir() {
		t.Fatalf("cluster directory: %v", err)
	}
}

// TestSchemaFallback: with COGNITOD_TEST_POSTGRES unset and nothing at the
// default address, Schema makes its schemas on one throwaway cluster for
// the binary (Main started it and removes it), each schema usable through
// its DSN and dropped when its test ends.
func TestSchemaFallback(t *testing.T) {
	t.Setenv("COGNITOD_TEST_POSTGRES", "")
	old := defaultDSN
	defaultDSN = "postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"
	t.Cleanup(func() { defaultDSN = old })
	var dsns []string
	for _, name := range []string{"first", "second"} {
		t.Run(name, func(t *testing.T) {
			schema, dsn := Schema(t)
			conn, err := connect(t, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			var cur string
			if err := conn.QueryRow(context.Background(), `SELECT current_schema()`).Scan(&cur); err != nil || cur != schema {
				t.Fatalf("current_schema %q, %v; want %q", cur, err, schema)
			}
			dsns = append(dsns, dsn)
		})
	}
	if fallback.c == nil {
		t.Fatal("no fallback cluster was started")
	}
	conn, err := connect(t, fallback.c.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'cognitod_test_%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("schemas left after their tests: %d, %v", n, err)
	}
	if len(dsns) == 2 {
		u0, _ := pgx.ParseConfig(dsns[0])
		u1, _ := pgx.ParseConfig(dsns[1])
		if u0.Port != u1.Port || int(u0.Port) != fallback.c.Port() {
			t.Errorf("the tests' schemas are on ports %d and %d, the binary's cluster on %d", u0.Port, u1.Port, fallback.c.Port())
		}
	}
}
