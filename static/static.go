// Package static embeds the browser assets: our CSS and ES modules, and the
// vendored front-end libraries with their licences.
package static

import "embed"

// FS holds css/, js/, img/ and vendor/.
//
//go:embed css js img vendor
var FS embed.FS
