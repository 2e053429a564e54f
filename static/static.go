// Package static embeds the browser assets: our CSS and ES modules, and the
// vendored front-end libraries with their licences.
package static

import "embed"

// FS holds css/, js/, the favicon and vendor/. The README's screenshot
// in img/ stays out of the binary.
//
//go:embed css js img/favicon.svg vendor
var FS embed.FS
