package report

import (
	"regexp"

	"github.com/borderwatch/borderwatch/geo"
)

// trigger is a word or phrase that reports an event, with its ACLED coding.
type trigger struct {
	re        *regexp.Regexp
	eventType string
	subEvent  string
	label     string // how the draft's title names it
	// needs, when set, must also appear in the sentence (a closure of a
	// border or crossing, an arrival of military people).
	needs *regexp.Regexp
	// anchor is how "a day after the airstrike" names this kind of event.
	anchor *regexp.Regexp
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)\b(?:` + s + `)\b`) }

// reAbbr is re for names that end in a full stop (U.S., U.K.).
func reAbbr(abbr, s string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(?:` + abbr + `|(?:` + s + `)\b)`)
}

// triggers, most specific first: a sentence's words are coded by the first
// trigger that matches them.
var triggers = []trigger{
	{re: re(`suicide (?:bomb(?:ing|er|ers)?|attacks?)|blew (?:himself|themselves) up`), eventType: "Explosions/Remote violence", subEvent: "Suicide bomb", label: "Suicide bombing", anchor: re(`bombing|attack|blast|explosion`)},
	{re: re(`air ?strikes?|drone strikes?|air raids?|bombed from the air`), eventType: "Explosions/Remote violence", subEvent: "Air/drone strike", label: "Air strike", anchor: re(`air ?strike|raid|strike|bombing`)},
	{re: re(`roadside bombs?|IEDs?|improvised explosive devices?|landmines?|(?:car|truck) bombs?|mine explo(?:sion|ded)`), eventType: "Explosions/Remote violence", subEvent: "Remote explosive/landmine/IED", label: "Explosion", anchor: re(`bomb|explosion|blast|attack`)},
	{re: re(`shell(?:ing|ed)|rockets? (?:fire|attacks?|struck|hit)|mortars?(?: fire| rounds)?|artillery`), eventType: "Explosions/Remote violence", subEvent: "Shelling/artillery/missile attack", label: "Shelling", anchor: re(`shelling|attack`)},
	{re: re(`(?:attack(?:ed|s)?|assault(?:ed|s)?|stormed|raided)(?: on)? (?:an? |the |two |three |four |several |\d+ )?(?:(?:army|military|police|National Guard|security|border) )+(?:barracks|posts?|checkpoints?|patrols?|bases?|stations?|units?|headquarters)`), eventType: "Battles", subEvent: "Armed clash", label: "Armed clash", anchor: re(`attack|assault|clash(?:es)?|fighting`)},
	{re: re(`clash(?:es|ed)?|gun ?battles?|firefights?|exchanges? of fire|exchanged fire|fighting broke out|fought`), eventType: "Battles", subEvent: "Armed clash", label: "Armed clash", anchor: re(`clash(?:es)?|fighting|battle`)},
	{re: re(`kidnapp(?:ed|ing|ings)|abduct(?:ed|ion|ions)|taken hostage`), eventType: "Violence against civilians", subEvent: "Abduction/forced disappearance", label: "Abduction", anchor: re(`kidnapping|abduction`)},
	{re: re(`(?:gunm[ae]n|attackers?|assailants?) (?:opened fire|attacked|stormed|killed|shot)|shot dead|massacred?|stabbed to death`), eventType: "Violence against civilians", subEvent: "Attack", label: "Attack", anchor: re(`attack|shooting|massacre`)},
	{re: re(`arrest(?:ed|s|ing)?|detain(?:ed|s)?|apprehended|rounded up|taken into custody`), eventType: "Strategic developments", subEvent: "Arrests", label: "Arrests", anchor: re(`arrests?|detention`)},
	{re: re(`(?:has|have|had|was|were|been) (?:\w+ )?(?:closed|shut)|closure|closing of|sealed off`), eventType: "Strategic developments", subEvent: "Other", label: "Closure", needs: re(`border|crossing|checkpoint|port|airport|road`), anchor: re(`closure|closing`)},
	{re: re(`released (?:a |an |the )?(?:taped |video(?:taped)? |televised )?(?:confessions?|videos?)|(?:taped|video(?:taped)?) confessions?`), eventType: "Strategic developments", subEvent: "Other", label: "Confession video released", anchor: re(`confession|video`)},
	{re: re(`(?:completion|completed|inaugurat(?:ed|ion)|finished) (?:of )?(?:the )?(?:construction|building)?`), eventType: "Strategic developments", subEvent: "Other", label: "Completion announced", needs: re(`barrier|wall|fence|trench|zone`), anchor: re(`announcement|completion`)},
	{re: re(`arrived|arrival of`), eventType: "Strategic developments", subEvent: "Other", label: "Arrival of foreign military", needs: re(`military|troops|trainers|advisers|advisors|soldiers|forces`), anchor: re(`arrival`)},
	{re: re(`(?:declared|imposed|announced|extended) (?:a |an )?(?:state of emergency|(?:night(?:time)? )?curfew)|(?:state of emergency|curfew) (?:was|has been|had been) (?:declared|imposed)`), eventType: "Strategic developments", subEvent: "Other", label: "State of emergency or curfew", anchor: re(`curfew|emergency`)},
	{re: re(`protest(?:s|ed|ers)?|demonstrat(?:ion|ions|ors|ed)|sit-ins?|marched|rall(?:y|ies|ied)`), eventType: "Protests", subEvent: "Peaceful protest", label: "Protest", anchor: re(`protests?|demonstrations?|rally`)},
	{re: re(`riot(?:s|ed|ing|ers)?|torched|set fire to`), eventType: "Riots", subEvent: "Violent demonstration", label: "Riot", anchor: re(`riots?`)},
	{re: re(`bomb(?:ing|ings)?|bomb attacks?|explosions?|blasts?|detonated`), eventType: "Explosions/Remote violence", subEvent: "Remote explosive/landmine/IED", label: "Explosion", anchor: re(`bomb(?:ing)?|explosion|blast|attack`)},
}

// disorder is the disorder type of an event type, as ACLED codes it.
func disorder(eventType string) string {
	switch eventType {
	case "Protests", "Riots":
		return geo.DisorderDemonstrations
	case "Strategic developments":
		return geo.DisorderStrategic
	}
	return geo.DisorderPoliticalViolence
}

// Sides of an actor.
const (
	sideState    = "state"
	sideNonState = "non-state"
	sideCivilian = "civilian"
)

// actor is a way reports name an actor, with ACLED's name for it.
type actor struct {
	re   *regexp.Regexp
	name string
	side string
}

// actors: the forces, governments and groups of the region and those that
// act in it. Checked in order; "Tunisian National Guard" is the National
// Guard, not the Tunisian army.
var actors = []actor{
	{re(`(?:Tunisian )?National Guard(?: units)?|garde nationale`), "National Guard of Tunisia", sideState},
	{re(`Presidential Guard`), "Presidential Guard of Tunisia", sideState},
	{re(`Tunisian (?:army|armed forces|military|troops|soldiers)|(?:the |Tunisia's |Tunisia’s )?(?:army|armed forces)(?: colonel)?|Tunisian air force|army helicopters`), "Military Forces of Tunisia", sideState},
	{re(`Tunisian (?:police|security forces)|(?:the )?police|security forces|counter-terrorism (?:units?|forces)`), "Police Forces of Tunisia", sideState},
	{re(`(?:Tunisian )?(?:Ministry of (?:the )?Interior|Interior Ministry|Ministry of Defen[cs]e|Defen[cs]e Ministry|Defen[cs]e Minister|Interior Minister|Prime Minister|President (?:Beji Caid )?Essebsi|Farhat Horchani|Tunisian (?:government|authorities|officials))`), "Government of Tunisia", sideState},
	{re(`Tripoli government|Government of National Accord|GNA|General National Congress|Libya Dawn`), "Government of Libya (Tripoli)", sideState},
	{re(`Tobruk government|House of Representatives|Libyan National Army|Haftar`), "Military Forces of Libya (Haftar)", sideState},
	{reAbbr(`U\.S\.`, `United States|American|US military|Pentagon|AFRICOM`), "Military Forces of the United States", sideState},
	{reAbbr(`U\.K\.`, `United Kingdom|British`), "Military Forces of the United Kingdom", sideState},
	{re(`Jund al-Khilafah?|Jund al-Khilafa|Soldiers of the Caliphate`), "Jund al-Khilafah", sideNonState},
	{re(`Okba Ibn Nafaa|Uqba ibn Nafi`), "Okba Ibn Nafaa Brigade", sideNonState},
	{re(`Islamic State|ISIS|ISIL|Daesh`), "Islamic State", sideNonState},
	{re(`Ansar al-Sharia`), "Ansar al-Sharia", sideNonState},
	{re(`al-Qaeda|AQIM`), "Al Qaeda in the Islamic Maghreb", sideNonState},
	{re(`suicide bombers?`), "Suicide bomber", sideNonState},
	{re(`(?:suspected|presumed|alleged) (?:militants?|terrorists?|jihadists?|gunm[ae]n|insurgents|extremists)|individuals believed`), "Suspected militants", sideNonState},
	{re(`militants?|terrorists?|jihadists?|gunm[ae]n|insurgents|extremists|smugglers|attackers?|assailants?`), "Militants", sideNonState},
	{re(`protesters|demonstrators|residents|unemployed youths?`), "Protesters (Tunisia)", sideCivilian},
	{re(`civilians?|tourists|migrants`), "Civilians", sideCivilian},
}

// background words: a trigger in their scope names an event the report
// refers to (claimed, planned, feared), not one it reports.
var (
	hypotheticalRE = re(`preparing|planning|plotting|plans? to|planned|threat(?:en(?:ed|s)?)?|would|could|might|may|expected|intend(?:ed|s)? to|aim(?:ed|s)? to|foiled|prevent(?:ed)?|to carry out`)
	claimRE        = re(`responsibility for|behind|in connection with|wanted for|linked to|since`)
	determinerRE   = re(`the|this|that|these|those|its|their`)
	announcedRE    = re(`announced|said|stated|reported|confirmed|revealed|claimed`)
	interventionRE = re(`tear ?gas|dispers(?:e|ed|ing)|rubber bullets|water cannon|baton(?:s|-charged)?|intervened`)
	presentRE      = re(`(?:is|are|am) (?:\w+ )?(?:involved|under way|ongoing|continuing|taking place)|(?:has|have) been|is being|are being|(?:is|are) \w+ing|this (?:morning|afternoon|evening)|today|now`)
)
