// Package publiccode reads, validates, maps and writes publiccode.yml files,
// the metadata standard with which public administrations describe the
// software they publish (https://yml.publiccode.tools).
//
// Parse accepts every published version of the standard (0.1 to 0.7),
// reports each finding as a Problem with line, column, dotted path, a
// stable Code and an English and German text, and maps what it can onto
// the version-neutral Software. Write produces a file of the current
// version. The package never touches the network: checks that need it
// (reachable URLs, files existing in the repository, the Italian IPA
// registry, oEmbed providers) are left to the caller.
package publiccode
