package geo

// Country names and codes for CSV in ACLED's layout (country name, numeric
// ISO code, and the alpha-3 prefix of event_id_cnty). Codes missing here are
// written as their alpha-2 code; the country_code column keeps them exact.
type countryInfo struct {
	Alpha2, Alpha3, Name string
	Numeric              int
}

var countries = []countryInfo{
	{"DZ", "DZA", "Algeria", 12}, {"TD", "TCD", "Chad", 148}, {"EG", "EGY", "Egypt", 818},
	{"FR", "FRA", "France", 250}, {"DE", "DEU", "Germany", 276}, {"IT", "ITA", "Italy", 380},
	{"LY", "LBY", "Libya", 434}, {"MT", "MLT", "Malta", 470}, {"ML", "MLI", "Mali", 466},
	{"MR", "MRT", "Mauritania", 478}, {"MA", "MAR", "Morocco", 504}, {"NE", "NER", "Niger", 562},
	{"SD", "SDN", "Sudan", 729}, {"TN", "TUN", "Tunisia", 788}, {"GB", "GBR", "United Kingdom", 826},
	{"US", "USA", "United States", 840}, {"SY", "SYR", "Syria", 760}, {"IQ", "IRQ", "Iraq", 368},
}

func countryByAlpha2(code string) (countryInfo, bool) {
	for _, c := range countries {
		if c.Alpha2 == code {
			return c, true
		}
	}
	return countryInfo{}, false
}

func countryByName(name string) (countryInfo, bool) {
	for _, c := range countries {
		if c.Name == name {
			return c, true
		}
	}
	return countryInfo{}, false
}
