package awsjson

import (
	"testing"

	"github.com/cognitod/cognitod/internal/cognito"
)

// TestEveryOperationHasAQuotaCategory: an operation added to the dispatch
// table without a request-rate category would never be throttled.
func TestEveryOperationHasAQuotaCategory(t *testing.T) {
	for name := range operations {
		buckets := cognito.OperationQuota(name)
		if len(buckets) == 0 {
			t.Errorf("%s has no quota category in internal/cognito/quotas.go", name)
			continue
		}
		if !cognito.IsQuotaCategory(buckets[len(buckets)-1]) {
			t.Errorf("%s draws from %v, which ends in no Cognito category", name, buckets)
		}
	}
	if cognito.OperationQuota("NoSuchOperation") != nil {
		t.Error("an unknown operation has a category")
	}
}
