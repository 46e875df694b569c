package feeds

import "io"

// renderHTML writes the digest as a standalone HTML page fit for an email:
// tables for layout and inline CSS, as mail clients want them.
func renderHTML(w io.Writer, d *Digest) error {
	return templates.ExecuteTemplate(w, "digest", d)
}
