package awsjson

import (
	"slices"
	"strings"
)

// Operations returns the names of the operations the API serves, sorted:
// the label values metrics may use for X-Amz-Target, so that a caller's
// made-up operation names cannot grow a metric without bound.
func Operations() []string {
	names := make([]string, 0, len(operations))
	for name := range operations {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// OperationName returns the operation an X-Amz-Target header names, or
// "" when the header is not one of this API's operations.
func OperationName(target string) string {
	name, ok := strings.CutPrefix(target, targetPrefix)
	if !ok {
		return ""
	}
	if _, known := operations[name]; !known {
		return ""
	}
	return name
}
