package http

// This file: the JSON API of offers and clarifying questions
// (/api/v1/needs/{slug}/offers, /api/v1/needs/{slug}/questions).

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/attachment"
	"github.com/smartregions/smartregions/internal/offer"
)

// maxOfferJSON bounds an offer's JSON body, attachments (base64) included.
const maxOfferJSON = 1 << 20

type apiOfferAttachment struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	URL  string `json:"url"`
}

type apiOfferProvider struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type apiOffer struct {
	ID          string               `json:"id"`
	Need        string               `json:"need"`
	Provider    apiOfferProvider     `json:"provider"`
	Text        string               `json:"text"`
	Delivery    string               `json:"delivery_model"`
	Price       float64              `json:"price"`
	Basis       offer.Basis          `json:"price_basis"`
	ValidUntil  string               `json:"valid_until"`
	Solutions   []offer.SolutionRef  `json:"solutions"`
	State       offer.State          `json:"state"`
	Reason      string               `json:"reason"`
	Lock        int                  `json:"lock"`
	Created     time.Time            `json:"created"`
	Updated     time.Time            `json:"updated"`
	Submitted   *time.Time           `json:"submitted"`
	Attachments []apiOfferAttachment `json:"attachments"`
}

func apiOfferOf(o offer.Offer) apiOffer {
	out := apiOffer{ID: o.ID, Need: o.NeedSlug, Provider: apiOfferProvider{Slug: o.OrgSlug, Name: o.OrgName}, Text: o.Text, Delivery: o.Delivery,
		Price: o.Price(), Basis: o.Basis, ValidUntil: o.ValidUntil.Format("2006-01-02"), Solutions: o.Solutions, State: o.State, Reason: o.Reason,
		Lock: o.Lock, Created: o.Created, Updated: o.Updated, Submitted: o.Submitted, Attachments: []apiOfferAttachment{}}
	if out.Solutions == nil {
		out.Solutions = []offer.SolutionRef{}
	}
	for _, a := range o.Attachments {
		out.Attachments = append(out.Attachments, apiOfferAttachment{ID: a.ID, Name: a.Name, Type: a.Type, Size: a.Size,
			URL: "/bedarfe/" + o.NeedSlug + "/angebote/" + o.ID + "/anhang/" + a.ID}) // a page: download in a session
	}
	return out
}

type apiFile struct {
	Name    string `json:"name"`
	Content string `json:"content_base64"`
}

type apiOfferInput struct {
	Provider   string    `json:"provider"` // slug of the offering organisation; "" for the first
	Text       string    `json:"text"`
	Delivery   string    `json:"delivery_model"`
	Price      *float64  `json:"price"`
	Basis      string    `json:"price_basis"`
	ValidUntil string    `json:"valid_until"`
	Solutions  []string  `json:"solutions"`
	Submit     bool      `json:"submit"`
	Files      []apiFile `json:"attachments"`
	Remove     []string  `json:"remove_attachments"`
	Lock       *int      `json:"lock"`
}

func (b apiOfferInput) input() (offer.Input, error) {
	in := offer.Input{Text: b.Text, Delivery: b.Delivery, Basis: offer.Basis(b.Basis), ValidUntil: b.ValidUntil, Solutions: b.Solutions,
		Submit: b.Submit, Remove: b.Remove}
	if b.Price != nil {
		in.Price = formatAPIPrice(*b.Price)
	}
	for _, f := range b.Files {
		data, err := base64.StdEncoding.DecodeString(f.Content)
		if err != nil {
			var v apperr.Validation
			v.Add("attachments", "offer.error.base64")
			return in, v.Err()
		}
		in.Files = append(in.Files, attachment.File{Name: f.Name, Data: data})
	}
	return in, nil
}

// formatAPIPrice writes a JSON number as text for offer.ParsePrice,
// which refuses negative amounts and more than two decimals.
func formatAPIPrice(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// renameOfferFields gives the API's names to the domain's field names.
func renameOfferFields(err error) error {
	if e, ok := err.(*apperr.Error); ok {
		for i, f := range e.Fields {
			switch f.Field {
			case "delivery":
				e.Fields[i].Field = "delivery_model"
			case "files":
				e.Fields[i].Field = "attachments"
			}
		}
	}
	return err
}

func (s *Server) handleAPIOfferList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	_, offers, err := s.Offers.List(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := list[apiOffer]{Items: []apiOffer{}, Total: len(offers)}
	for _, o := range offers {
		out.Items = append(out.Items, apiOfferOf(o))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIOfferView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	_, o, err := s.Offers.Get(r.Context(), a, r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiOfferOf(o))
	return nil
}

// handleAPIOfferSave creates (POST) or changes (PUT, with the lock) the
// caller's offer.
func (s *Server) handleAPIOfferSave(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	var body apiOfferInput
	if err := decodeJSON(w, r, maxOfferJSON, &body); err != nil {
		return err
	}
	_, _, own, err := s.Offers.Own(r.Context(), a, slug, body.Provider)
	if err != nil {
		return err
	}
	lock := 0
	if r.Method == http.MethodPut {
		if own == nil || own.ID != r.PathValue("id") {
			return apperr.New(apperr.NotFound, "offer.error.not_found")
		}
		if err := requireLock(body.Lock); err != nil {
			return err
		}
		lock = *body.Lock
	} else if own != nil {
		return apperr.New(apperr.Conflict, "offer.error.exists")
	}
	in, err := body.input()
	if err != nil {
		return err
	}
	o, err := s.Offers.Save(r.Context(), a, slug, body.Provider, lock, in, s.meta(r))
	if err != nil {
		return renameOfferFields(err)
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusCreated
		w.Header().Set("Location", "/api/v1/needs/"+slug+"/offers/"+o.ID)
	}
	writeJSON(w, status, "application/json", apiOfferOf(o))
	return nil
}

func (s *Server) handleAPIOfferWithdraw(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	var body struct {
		Lock *int `json:"lock"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if err := requireLock(body.Lock); err != nil {
		return err
	}
	o, err := s.Offers.Withdraw(r.Context(), a, r.PathValue("slug"), r.PathValue("id"), *body.Lock, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiOfferOf(o))
	return nil
}

func (s *Server) handleAPIOfferDecide(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	var body struct {
		State  string `json:"state"`
		Reason string `json:"reason"`
		Lock   *int   `json:"lock"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if err := requireLock(body.Lock); err != nil {
		return err
	}
	o, err := s.Offers.Decide(r.Context(), a, r.PathValue("slug"), r.PathValue("id"), offer.State(body.State), body.Reason, *body.Lock, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiOfferOf(o))
	return nil
}

type apiQuestion struct {
	ID         string     `json:"id"`
	Statement  bool       `json:"statement"` // written by the need's owners
	Provider   string     `json:"provider,omitempty"`
	Text       string     `json:"text"`
	Answer     string     `json:"answer"`
	AnsweredAt *time.Time `json:"answered_at"`
	Created    time.Time  `json:"created"`
}

func apiQuestionOf(q offer.Question) apiQuestion {
	return apiQuestion{ID: q.ID, Statement: q.Statement(), Provider: q.OrgName, Text: q.Text, Answer: q.Answer, AnsweredAt: q.AnsweredAt, Created: q.Created}
}

func (s *Server) handleAPIQuestionList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	t, err := s.Offers.Questions(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := list[apiQuestion]{Items: []apiQuestion{}, Total: len(t.Items)}
	for _, q := range t.Items {
		out.Items = append(out.Items, apiQuestionOf(q))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIQuestionAsk(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	var body struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	q, err := s.Offers.Ask(r.Context(), a, r.PathValue("slug"), body.Text, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, "application/json", apiQuestionOf(q))
	return nil
}

func (s *Server) handleAPIQuestionAnswer(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	var body struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	q, err := s.Offers.Answer(r.Context(), a, r.PathValue("slug"), r.PathValue("id"), body.Text, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiQuestionOf(q))
	return nil
}
