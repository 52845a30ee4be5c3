package metrics_test

import (
	"path/filepath"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/cognitod/cognitod/internal/awsjson"
	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/metrics"
	"github.com/cognitod/cognitod/internal/store/sqlite"
	"github.com/cognitod/cognitod/internal/store/storetest"
)

// TestWrappedStore runs the store conformance suite over the SQLite store
// wrapped by WrapStore: the wrapper must change nothing but the timings.
// It then checks that the calls the suite made were timed.
func TestWrappedStore(t *testing.T) {
	m := metrics.New(awsjson.Operations())
	storetest.Run(t, func(t *testing.T) func() cognito.Store {
		path := filepath.Join(t.TempDir(), "db.sqlite")
		return func() cognito.Store {
			s, err := sqlite.Open(t.Context(), path)
			if err != nil {
				t.Fatalf("Open(%q): %v", path, err)
			}
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			return m.WrapStore(s)
		}
	})
	counts := storeCounts(t, m)
	for _, op := range []string{"Update", "CreateUserPool", "GetUserPool", "ListUsers", "RotateRefreshToken", "PutUserCode"} {
		if counts[op] == 0 {
			t.Errorf("no %s call was timed (timed: %v)", op, counts)
		}
	}
}

// storeCounts returns the sample count of each store operation's
// histogram.
func storeCounts(t *testing.T, m *metrics.Metrics) map[string]uint64 {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{}
	for _, f := range families {
		if f.GetName() != "cognitod_store_operation_duration_seconds" {
			continue
		}
		for _, s := range f.GetMetric() {
			out[label(s, "operation")] = s.GetHistogram().GetSampleCount()
		}
	}
	return out
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}
