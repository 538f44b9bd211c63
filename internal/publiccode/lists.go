package publiccode

import "strings"

// Controlled vocabularies of the standard (see FIELDS.md, v0.7).

var developmentStatuses = []string{"concept", "development", "beta", "stable", "obsolete"}

var softwareTypes = []string{
	"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
	"standalone/backend", "standalone/other", "addon", "library", "configurationFiles",
}

var maintenanceTypes = []string{"internal", "contract", "community", "none"}

// supportAliases are the names allowed after "alias:" in supports[].id.
var supportAliases = []string{"gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io"}

var scopes = []string{
	"agriculture", "culture", "defence", "education", "emergency-services", "employment",
	"energy", "environment", "finance-and-economic-development", "foreign-affairs",
	"healthcare", "infrastructures", "justice", "local-authorities", "manufacturing",
	"research", "science-and-technology", "security", "society", "sport", "tourism",
	"transportation", "welfare",
}

// categories lists every category with the minor version that introduced
// it (2 for the list of core-0.2).
var categories = map[string]int{
	"whistleblowing": 3, "educational-content": 3,
	"design": 4, "design-system": 4, "integrated-library-system": 4, "regulations-and-directives": 4,
	"other": 5,
}

func init() {
	for _, c := range strings.Fields(`accounting agile-project-management applicant-tracking
application-development appointment-scheduling backup billing-and-invoicing blog budgeting
business-intelligence business-process-management cad call-center-management cloud-management
collaboration communications compliance-management contact-management content-management crm
customer-service-and-support data-analytics data-collection data-visualization
digital-asset-management digital-citizenship document-management donor-management e-commerce
e-signature email-management email-marketing employee-management enterprise-project-management
enterprise-social-networking erp event-management facility-management
feedback-and-reviews-management financial-reporting fleet-management fundraising gamification
geographic-information-systems grant-management graphic-design help-desk hr ide
identity-management instant-messaging inventory-management it-asset-management it-development
it-management it-security it-service-management knowledge-management learning-management-system
marketing mind-mapping mobile-marketing mobile-payment network-management office online-booking
online-community payment-gateway payroll predictive-analysis procurement productivity-suite
project-collaboration project-management property-management real-estate-management
remote-support resource-management sales-management seo service-desk social-media-management
survey talent-management task-management taxes-management test-management time-management
time-tracking translation video-conferencing video-editing visitor-management voip
warehouse-management web-collaboration web-conferencing website-builder workflow-management`) {
		categories[c] = 2
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// listText renders an enumeration for a message, shortened when long.
func listText(list []string) string {
	if len(list) > 12 {
		return strings.Join(list[:12], ", ") + ", …"
	}
	return strings.Join(list, ", ")
}
