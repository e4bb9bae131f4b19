// Package types holds the protocol shared by the main chain's collector
// (module statuscollect) and the subchains' reporter (module statusreporter):
// the status snapshot, its validation and its limits.
package types
