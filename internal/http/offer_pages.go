package http

// This file: the pages of providers' offers on a need: the provider's
// form (/bedarfe/{slug}/angebot), the owners' overview
// (/bedarfe/{slug}/angebote) and one offer with the owners' decision.
// Offers are decided on by offer.Service: another provider, another
// municipality or a visitor gets 404.

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/offer"
	"github.com/smartregions/smartregions/internal/web"
)

// maxOfferBody bounds the body of the offer form with its attachments.
const maxOfferBody = offer.MaxFiles*offer.MaxFileSize + 1<<20

// offerUploadRoutes are the routes whose bodies may reach maxOfferBody
// (see bodyLimit).
var offerUploadRoutes = func() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("POST /bedarfe/{slug}/angebot", http.NotFoundHandler())
	return mux
}()

// offersOn answers 404 when offers are switched off (no needs).
func (s *Server) offersOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Offers == nil || s.Needs == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}

// OfferLinks says which links to offers and questions a need's page shows.
type OfferLinks struct {
	Offer     bool // "submit an offer": the viewer is a provider and the need takes offers
	Offers    bool // the list of offers: owners, and providers with an offer
	Questions bool
}

// offerLinks returns the links for a viewer of the need n.
func (s *Server) offerLinks(r *http.Request, a need.Actor, n need.Need) (OfferLinks, error) {
	if s.Offers == nil || a.User == nil {
		return OfferLinks{}, nil
	}
	role, err := s.Offers.Role(r.Context(), a, n, "")
	if err != nil {
		return OfferLinks{}, err
	}
	return OfferLinks{Offer: role.Provider != nil, Offers: role.Party(), Questions: role.Party()}, nil
}

func (s *Server) offerCrumbs(r *http.Request, n need.Need, trail ...web.Crumb) []web.Crumb {
	return s.needCrumbs(r, append([]web.Crumb{{Label: n.Title, Href: "/bedarfe/" + n.Slug}}, trail...)...)
}

// OfferFormView is the Data of the "offer_form" page.
type OfferFormView struct {
	Need      need.Need
	Offer     *offer.Offer // nil before the first save
	Org       string       // the provider's name
	Solutions []offer.SolutionRef
	Chosen    map[string]bool
	Delivery  []string
	Bases     []offer.Basis
	Editable  bool
	MaxFiles  int
	MaxMB     int
	Notice    string
	Alert     string
}

func offerForm(o offer.Offer) url.Values {
	f := url.Values{"text": {o.Text}, "delivery": {o.Delivery}, "price": {o.PriceText()}, "price_basis": {string(o.Basis)},
		"valid_until": {o.ValidUntil.Format("2006-01-02")}, "lock": {strconv.Itoa(o.Lock)}}
	for _, sol := range o.Solutions {
		f.Add("solutions", sol.Slug)
	}
	return f
}

func offerInput(f url.Values) offer.Input {
	return offer.Input{Text: f.Get("text"), Delivery: f.Get("delivery"), Price: f.Get("price"), Basis: offer.Basis(f.Get("price_basis")),
		ValidUntil: f.Get("valid_until"), Solutions: f["solutions"], Remove: f["remove"], Submit: f.Get("action") == "submit"}
}

func (s *Server) renderOfferForm(w http.ResponseWriter, r *http.Request, status int, v OfferFormView, form url.Values, fields map[string]string) error {
	v.Delivery, v.Bases, v.MaxFiles, v.MaxMB = catalog.DeliveryModels, offer.Bases, offer.MaxFiles, offer.MaxFileSize>>20
	v.Chosen = map[string]bool{}
	for _, slug := range form["solutions"] {
		v.Chosen[slug] = true
	}
	v.Editable = offer.Offerable(v.Need) && (v.Offer == nil || v.Offer.State != offer.Shortlisted && v.Offer.State != offer.Declined)
	return s.renderFormPage(w, r, status, "offer_form", s.t(r, "offer.form.title", "Title", v.Need.Title), s.offerCrumbs(r, v.Need, web.Crumb{Label: s.t(r, "offer.form.short")}), form, fields, v)
}

var offerNotices = map[string]string{"gespeichert": "offer.done.saved", "abgegeben": "offer.done.submitted", "zurueckgezogen": "offer.done.withdrawn",
	"entschieden": "offer.done.decided", "gefragt": "offer.done.asked", "beantwortet": "offer.done.answered"}

// notice reads the parameter "erledigt" of a page after an action.
func (s *Server) offerNotice(r *http.Request) (string, error) {
	p := readParams(r, "erledigt")
	notice := ""
	if n := p.str("erledigt"); n != "" {
		if key, ok := offerNotices[n]; ok {
			notice = s.t(r, key)
		} else {
			p.Add("erledigt", "error.param.value", "Name", "erledigt")
		}
	}
	return notice, p.Err()
}

func (s *Server) handleOfferForm(w http.ResponseWriter, r *http.Request) error {
	notice, err := s.offerNotice(r)
	if err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	n, role, own, err := s.Offers.Own(r.Context(), a, r.PathValue("slug"), "")
	if err != nil {
		return err
	}
	v := OfferFormView{Need: n, Offer: own, Org: role.Provider.OrgName, Solutions: role.Solutions, Notice: notice}
	form := url.Values{"price_basis": {string(offer.Once)}}
	if own != nil {
		form = offerForm(*own)
	}
	return s.renderOfferForm(w, r, http.StatusOK, v, form, nil)
}

func (s *Server) handleOfferSave(w http.ResponseWriter, r *http.Request) error {
	files, ferr := s.readUploadForm(r, "offer.error.body_size", maxOfferBody)
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	n, role, own, err := s.Offers.Own(r.Context(), a, slug, "")
	if err != nil {
		return err
	}
	v := OfferFormView{Need: n, Offer: own, Org: role.Provider.OrgName, Solutions: role.Solutions}
	retry := func(err error) error {
		fields, alert, stop := s.pageFormError(r, err)
		if stop != nil {
			return stop
		}
		v.Alert = alert
		return s.renderOfferForm(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
	}
	if ferr != nil {
		return retry(ferr)
	}
	lock := lockOf(r)
	in := offerInput(r.PostForm)
	in.Files = files
	o, err := s.Offers.Save(r.Context(), a, slug, "", lock, in, s.meta(r))
	if err != nil {
		return retry(err)
	}
	done := "gespeichert"
	if o.State == offer.Submitted {
		done = "abgegeben"
	}
	http.Redirect(w, r, "/bedarfe/"+slug+"/angebot?erledigt="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) handleOfferWithdraw(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	lock := lockOf(r)
	if _, err := s.Offers.Withdraw(r.Context(), a, slug, r.PostForm.Get("offer"), lock, s.meta(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/bedarfe/"+slug+"/angebot?erledigt=zurueckgezogen", http.StatusSeeOther)
	return nil
}

// OfferListView is the Data of the "offer_list" page.
type OfferListView struct {
	Need   need.Need
	Offers []offer.Offer
	Owner  bool
}

func (s *Server) handleOfferList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	n, list, err := s.Offers.List(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "offer.list.title", "Title", n.Title))
	pg.Breadcrumbs = s.offerCrumbs(r, n, web.Crumb{Label: s.t(r, "offer.list.short")})
	pg.Data = OfferListView{Need: n, Offers: list, Owner: need.Can(a, need.ActEdit, n)}
	return s.render(w, r, "offer_list", pg)
}

// OfferView is the Data of the "offer_view" page.
type OfferView struct {
	Need      need.Need
	Offer     offer.Offer
	Owner     bool
	Decisions []string // the owners' choices
	Notice    string
	Alert     string
}

func (s *Server) renderOffer(w http.ResponseWriter, r *http.Request, status int, v OfferView, form url.Values, fields map[string]string) error {
	v.Decisions = []string{string(offer.Shortlisted), string(offer.Declined)}
	pg := s.page(r, s.t(r, "offer.view.title", "Org", v.Offer.OrgName))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = s.offerCrumbs(r, v.Need, web.Crumb{Label: s.t(r, "offer.list.short"), Href: "/bedarfe/" + v.Need.Slug + "/angebote"},
		web.Crumb{Label: v.Offer.OrgName})
	pg.Data = v
	s.renderStatus(w, r, status, "offer_view", pg)
	return nil
}

func (s *Server) handleOfferView(w http.ResponseWriter, r *http.Request) error {
	notice, err := s.offerNotice(r)
	if err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	n, o, err := s.Offers.Get(r.Context(), a, r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderOffer(w, r, http.StatusOK, OfferView{Need: n, Offer: o, Owner: need.Can(a, need.ActEdit, n), Notice: notice}, nil, nil)
}

func (s *Server) handleOfferDecide(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	slug, id := r.PathValue("slug"), r.PathValue("id")
	lock := lockOf(r)
	if _, err := s.Offers.Decide(r.Context(), a, slug, id, offer.State(r.PostForm.Get("state")), r.PostForm.Get("reason"), lock, s.meta(r)); err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
			return err
		}
		n, o, gerr := s.Offers.Get(r.Context(), a, slug, id)
		if gerr != nil {
			return gerr
		}
		return s.renderOffer(w, r, statusOf[apperr.CodeOf(err)], OfferView{Need: n, Offer: o, Owner: true, Alert: alert}, keptInput(r), fields)
	}
	http.Redirect(w, r, "/bedarfe/"+slug+"/angebote/"+id+"?erledigt=entschieden", http.StatusSeeOther)
	return nil
}

func (s *Server) handleOfferAttachment(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	f, err := s.Offers.Attachment(r.Context(), a, r.PathValue("slug"), r.PathValue("id"), r.PathValue("file"))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.Type)
	h.Set("Content-Length", strconv.FormatInt(int64(len(f.Data)), 10))
	h.Set("Content-Disposition", "attachment; filename=\""+asciiName(f.Name)+"\"; filename*=UTF-8''"+url.PathEscape(f.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	w.Write(f.Data)
	return nil
}
