package geo

// ACLED's event taxonomy (ACLED Codebook, 2023): each event type belongs to a
// disorder type and has a fixed set of sub-event types.
const (
	DisorderPoliticalViolence = "Political violence"
	DisorderDemonstrations    = "Demonstrations"
	DisorderStrategic         = "Strategic developments"
)

// EventType is one ACLED event type with its sub-event types.
type EventType struct {
	Name      string
	Disorder  []string // disorder types it may carry
	SubEvents []string
}

// EventTypes lists ACLED's six event types in the codebook's order.
var EventTypes = []EventType{
	{"Battles", []string{DisorderPoliticalViolence}, []string{
		"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}},
	{"Explosions/Remote violence", []string{DisorderPoliticalViolence}, []string{
		"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
		"Remote explosive/landmine/IED", "Grenade"}},
	{"Violence against civilians", []string{DisorderPoliticalViolence}, []string{
		"Sexual violence", "Attack", "Abduction/forced disappearance"}},
	{"Protests", []string{DisorderDemonstrations}, []string{
		"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}},
	{"Riots", []string{DisorderDemonstrations, DisorderPoliticalViolence, "Political violence; Demonstrations"}, []string{
		"Violent demonstration", "Mob violence"}},
	{"Strategic developments", []string{DisorderStrategic}, []string{
		"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
		"Headquarters or base established", "Looting/property destruction",
		"Non-violent transfer of territory", "Other"}},
}

// LookupEventType returns the event type called name.
func LookupEventType(name string) (EventType, bool) {
	for _, t := range EventTypes {
		if t.Name == name {
			return t, true
		}
	}
	return EventType{}, false
}

// EventTypeNames returns the names of all event types.
func EventTypeNames() []string {
	names := make([]string, len(EventTypes))
	for i, t := range EventTypes {
		names[i] = t.Name
	}
	return names
}

// HasSubEvent reports whether sub is one of t's sub-event types.
func (t EventType) HasSubEvent(sub string) bool {
	return contains(t.SubEvents, sub)
}

// AllowsDisorder reports whether d is a disorder type t may carry.
func (t EventType) AllowsDisorder(d string) bool {
	return contains(t.Disorder, d)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// SubEventTypeNames returns every sub-event type of every event type.
func SubEventTypeNames() []string {
	var names []string
	for _, t := range EventTypes {
		names = append(names, t.SubEvents...)
	}
	return names
}
