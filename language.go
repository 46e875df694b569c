package ottwatch

// Languages are the languages ottwatch reads, as ISO 639-1 codes: the ones
// nlp detects unless configured otherwise, and the ones the indexes give
// text fields analysed for the language. It is the one list of them.
var Languages = []string{"it", "fr", "es", "de", "en", "pt"}
