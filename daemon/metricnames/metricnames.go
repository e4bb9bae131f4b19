// Package metricnames lists the names of the metrics a set of Prometheus
// collectors exports, so the monitoring kit's rules and dashboard can be
// checked against the names the code really uses.
package metricnames

import (
	"regexp"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// Of returns the sorted names of the metrics cs describe, labelled or not.
func Of(cs ...prometheus.Collector) []string {
	descs := make(chan *prometheus.Desc)
	go func() {
		for _, c := range cs {
			c.Describe(descs)
		}
		close(descs)
	}()
	var names []string
	for d := range descs {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			names = append(names, m[1])
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}
