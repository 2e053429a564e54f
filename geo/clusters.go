package geo

import "github.com/paulmach/orb"

// Cluster is a group of incidents drawn as one marker.
type Cluster struct {
	Count  int
	Center orb.Point // the mean of the members' marker points
	Bound  orb.Bound // the box of the members' marker points
}

// Clusters is what a map needs to draw a selection at one zoom.
type Clusters struct {
	NumberMatched int
	Clusters      []Cluster
	Singles       []Incident
}
