// Package geo is Borderwatch's domain: incidents, context layers, the filters
// that select them, their validation and the spatial maths over them.
//
// It depends on nothing else in Borderwatch. Geometries are orb types, and
// orb's own geo package is imported as orbgeo where the two meet.
package geo
