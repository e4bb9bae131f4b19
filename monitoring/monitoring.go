// Package monitoring holds the monitoring kit of a statuscollect network:
// Prometheus' scrape configuration and alert rules (prometheus/) and a
// Grafana dashboard (grafana/), checked by its tests against the metrics the
// daemons really export.
package monitoring
