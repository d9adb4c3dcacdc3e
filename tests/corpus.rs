//! The bundled corpus (`corpus/README.md`): structure exact on every article, detection
//! measured with `klartext eval` and held to floors.
//!
//! The floors are the figures reached when they were last raised; a change that lowers one
//! fails here. Issue 4's targets are printed beside them until they are reached.

use klartext::eval::{self, Counts};
use klartext::RuleSet;

use crate::util::{lines, repo, with_invisible, Dir};

/// Issue 4's targets (held-out, k-fold): ads caught, editorial retained, no-promo articles cut.
const TARGETS: (f64, f64, usize) = (0.98, 0.997, 0);

fn corpus() -> Vec<eval::GoldArticle> {
    eval::load(&repo().join("corpus")).expect("the corpus loads")
}

fn print(name: &str, c: &Counts) {
    println!(
        "{name}: {} articles, ads caught {:.3} (target {}), editorial retained {:.4} (target {}), \
         no-promo articles cut {} (target {}), char P {:.3} R {:.3} F1 {:.3}",
        c.articles,
        c.ads_caught_ratio(),
        TARGETS.0,
        c.editorial_retained_ratio(),
        TARGETS.1,
        c.no_promo_articles_cut,
        TARGETS.2,
        c.char_precision(),
        c.char_recall(),
        c.char_f1()
    );
}

#[test]
fn the_corpus_has_the_promised_shape() {
    let articles = corpus();
    let count = |lang: &str| {
        articles
            .iter()
            .filter(|a| a.annotation.language == lang)
            .count()
    };
    let no_promo = articles.iter().filter(|a| a.ad_spans.is_empty()).count();
    assert!(articles.len() >= 150, "{} articles", articles.len());
    assert!(
        count("de") >= 70 && count("en") >= 50,
        "de {}, en {}",
        count("de"),
        count("en")
    );
    assert!(no_promo >= 40, "{no_promo} articles without ads");
}

#[test]
fn every_article_gets_its_language_title_dateline_and_class() {
    let dir = Dir::new();
    let root = repo().join("corpus");
    let out = dir.path().join("out");
    let result = dir.klartext(&[
        "clean",
        root.to_str().unwrap(),
        "--ext",
        "txt",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let mut failures = Vec::new();
    for article in corpus() {
        let stem = article.id.strip_suffix(".txt").unwrap();
        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("{stem}.json"))).unwrap(),
        )
        .unwrap();
        let gold = &article.annotation;
        let fields: [(&str, &serde_json::Value, serde_json::Value); 4] = [
            ("language", &meta["language"], gold.language.clone().into()),
            ("title", &meta["title"], gold.title.clone().into()),
            (
                "dateline",
                &meta["dateline"]["text"],
                gold.dateline.clone().into(),
            ),
            (
                "datetime",
                &meta["dateline"]["datetime"],
                gold.datetime.clone().into(),
            ),
        ];
        for (what, got, want) in fields {
            if *got != want {
                failures.push(format!("{}: {what} is {got}, annotated {want}", article.id));
            }
        }
        // Every corpus article is news (some with inserts); none is an advertorial as a whole.
        if meta["class"] == "advertorial" {
            failures.push(format!("{}: classed advertorial", article.id));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Floors on the figures of one evaluation: (ads caught, editorial retained, no-promo
/// articles cut at most, char F1).
struct Floors {
    caught: f64,
    retained: f64,
    cut: usize,
    f1: f64,
}

fn assert_floors(name: &str, c: &Counts, floors: Floors) {
    print(name, c);
    let checks = [
        (
            "ads caught",
            c.ads_caught_ratio() >= floors.caught,
            c.ads_caught_ratio(),
            floors.caught,
        ),
        (
            "editorial retained",
            c.editorial_retained_ratio() >= floors.retained,
            c.editorial_retained_ratio(),
            floors.retained,
        ),
        (
            "no-promo articles cut",
            c.no_promo_articles_cut <= floors.cut,
            c.no_promo_articles_cut as f64,
            floors.cut as f64,
        ),
        ("char F1", c.char_f1() >= floors.f1, c.char_f1(), floors.f1),
    ];
    let failed: Vec<String> = checks
        .iter()
        .filter(|(_, ok, _, _)| !ok)
        .map(|(what, _, got, floor)| format!("{name}: {what} {got:.4}, floor {floor}"))
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
}

#[test]
fn detection_with_the_built_in_rules() {
    let report = eval::evaluate(&corpus(), &RuleSet::builtin());
    // On the 174 articles before the third writing round: caught 0.978, F1 0.985. The round's
    // 16 articles, written without sight of the rules (unseen, klartext caught 8 of their 16
    // ads), brought the corpus to 190 and these figures to 0.947 and 0.972; a giveaway's label
    // without its hyphen and its entry instructions, to 0.951 and 0.974; "download the app to
    // do a task" as the app instruction's second shape, to 0.955 and 0.975; set-ups above a
    // hand-over, the publisher's offers never absorbed as story, lead-ins whose problem sentence
    // pitches (0.987 and 0.992 on the 174), to 0.963 and 0.981; a set-up before a hand-over
    // inside its own paragraph, to 0.967 and 0.983; or before the publisher's own offer,
    // to 0.971 and 0.984; hook questions up to 80 characters, to 0.976; the reader's problem
    // handing over inside its paragraph, to 0.980 and 0.988 (on the 190). A fourth round of 20
    // articles written without sight of the rules (unseen, klartext caught 20 of their 26 ads,
    // F1 0.801, one editorial sentence of an article with ads cut) took the corpus to 210
    // articles and these figures to 0.960, F1 0.972, retained 0.9998: the floors fell with the
    // grown corpus, not with a change. A hook right before a pitch as its opening: 0.963,
    // F1 0.9727. A fifth round of 20 articles, scored unseen when it came and again after this
    // session's detection work, both times 17 of 29 ads (F1 0.637, retained 0.9906), took the
    // corpus to 230 articles and these figures to 0.927, F1 0.946, retained 0.9992; a source
    // line as metadata: retained 0.9993; a glued run that ends the article on a sentence not
    // promo by itself paying to end there: retained 0.9995, F1 0.9478; a French closing quote
    // no longer taken for an arrow, a capitalised verb ("zum Herunterladen") no longer for a
    // call to action, and a named body's advice ("Der Verband rät") as advice: retained
    // 0.9998, F1 0.9494. A short paragraph posing the reader's problem or handing over, right
    // above a pitch, as its set-up (with the reader-problem and hand-over families grown in the
    // four languages): 0.9468, F1 0.9690.
    // Shop buttons, publisher appeals, podcast teasers and unlimited reading as cues, and a
    // closing line no longer bridging a story paragraph to the next insert (on their own from
    // 0.9494: 0.946, F1 0.956); with the set-ups: 0.9668, F1 0.9757. A sixth round of 20
    // articles (scored unseen when it came: 12 of 24 ads, F1 0.638, retained 0.9932, one
    // article without ads cut) took the corpus to 250 articles and these figures to 0.9323,
    // F1 0.9493, retained 0.9995, one cut: the floors fell with the grown corpus, not with a
    // change; a charity's helpline as a public provider's: F1 0.9512, retained 0.9999, none cut.
    // Ad labels after a liveblog entry's time, third parties' offers to the paper's readers and
    // the publisher's house notes as cues: 0.942, F1 0.957; a liveblog entry with a promo run
    // going whole: 0.954, F1 0.961; an offer to readers taking the paragraph that introduced
    // its company: 0.966, F1 0.974; podcast teasers: 0.9692, F1 0.9759, retained 0.9999; an
    // event's limited places as a cue: 0.9723, F1 0.9809. A seventh round of 20 articles
    // (kept out of sight until all of that session's work was done; unseen, 15 of 25 ads, F1
    // 0.586, retained 1.0000, none cut) took the corpus to 270 articles and these figures to
    // 0.9457, F1 0.9583, retained 0.9999: the floors fell with the grown corpus, not a change.
    // A ninth round of 20 articles (scored unseen when it came: 15 of 29 ads, F1 0.599,
    // retained 0.9875, none cut) took the corpus to 290 articles and these figures to 0.9129,
    // F1 0.9348, retained 0.9993: the floors fell with the grown corpus, not a change. An
    // offer's introduction never taken from another liveblog entry: F1 0.9358, retained 0.9996;
    // related-link labels that speak of reading or of the site, in any language: 0.9208, F1 0.9373.
    // On a branch beside those: house notes as one cue family: 0.9340, F1 0.9457; a label
    // carrying the block under it that ends in an offer's terms: 0.9446, F1 0.9588; sign-up in
    // one click, giveaway labels, apps for iOS and Android, offers to "readers of this site" and
    // a one-sentence lead-in needing the offer's own word: 0.9578, F1 0.9680. Both together:
    // 0.9578, F1 0.9690, retained 0.9997. A tenth round of 20 articles (scored unseen when it
    // came: 14 of 25 ads, F1 0.70, retained 0.9875, none cut) took the corpus to 310 articles
    // and these figures to 0.9332, F1 0.9512, retained 0.9991: the floors fell with the grown
    // corpus, not a change. Hard-wrapped text without blank lines read as wrapped (an opera
    // review of the round lost two paragraphs): retained 0.9997, F1 0.9538. Publisher appeals
    // in their own words ("Stories like this … only exist because", "Become a supporter",
    // "… ist nur möglich, weil Leser …", "Informar con rigor … exige") and prices per month in
    // dollars, pesos and francs after the amount: 0.9406, F1 0.9561. The eighth and eleventh
    // rounds (kept unseen until then: 16 of 24 and 15 of 28 ads, none cut) took the corpus to
    // 350 articles and these figures to 0.9013, F1 0.9296, retained 0.9993: the floors fell
    // with the grown corpus, not a change. Appeals that speak of the publication ("Dieser
    // Artikel ist für Sie frei zugänglich", "… is paid for by readers"), cues that read past a
    // liveblog entry's time and every ad-label form opening an entry, cues across the line
    // breaks of wrapped paragraphs, related-link lists, no "deal"/"claim" as nouns, the
    // article's own "you" no cue: 0.9167, F1 0.9351, retained 0.9996. The thirteenth round
    // (scored unseen when it came: 11 of 25 ads, two of its seven articles without ads cut) took
    // the corpus to 370 articles; sponsor credits ("– präsentiert von …", "is presented by …"),
    // a reader trip's booking terms, prize draws, voseo calls to action, a labelled paragraph
    // that ends in its pitch, and a standfirst that sums the story up kept as editorial: 0.9148,
    // F1 0.9342, retained 0.9996, none cut. The twelfth round (kept unseen until then: 16 of
    // 28 ads, char P 91.9%, none cut, the same after this session's work) took the corpus to
    // 390 articles; "premium" only as a tier or coverage, related-link lines bound to nothing,
    // wire credits "(Reporting by …)" as source lines: 0.8959, F1 0.9195, retained 0.9996: the
    // floors fell with the grown corpus, not a change. Appeals that say the journalism
    // "entsteht nur, weil …", "n'existe que parce que …", "Este directo es de acceso libre",
    // subscribers "dieses Magazins" offered tickets: 0.9018, F1 0.9207. A download "kostenlos
    // als PDF", the paper's "Leserpodium": 0.9037, F1 0.9228. French appeals ("soutenez notre
    // travail", "gratuit pour tous, mais … pas pour nous", "Devenez membre"), with no lead-in
    // taken above an appeal: 0.9057, F1 0.9244. Sign-up rewards that waive a fee ("wer bis …
    // abschließt, zahlt keine …gebühr", "pay no … fees"), a paid placement's disclosure under
    // its insert ("This content was paid for by …", "Contenu proposé par …") closing the
    // paragraph above, readers offered a discount: 0.9155, F1 0.9353. Reader trips' terms
    // ("por persona en habitación doble", "Prices start at … per person", "cupos limitados"),
    // subscribers' ticket prices, the paper's own named events, introductory offers (fees
    // waived for a first period, welcome bonuses): 0.9194, F1 0.9407. A block in which the
    // publisher speaks for itself, pasted between a heading and its paragraph, not bound to the
    // heading; "Unterstützen Sie unsere Arbeit" as an appeal: 0.9234, F1 0.9421. A shop's
    // button (with a footnote star, too) closing the product box above it: 0.9293, F1 0.9459.
    // Reader trips' "Cabins start at … per person", "the booking form", "a small group of our
    // readers", voyages and tours as event hints: 0.9312, F1 0.9476. The fourteenth round
    // (scored unseen when it came and again after this session's work: 24 of 26 ads, char P
    // 94.0% then 94.5%, retained 0.9933 then 0.9939, none of its seven articles without ads
    // cut) took the corpus to 410 articles and these figures to 0.9308, F1 0.9482, retained
    // 0.9993: the floors fell with the grown corpus, not with a change. What an offer promises
    // in Spanish and French ("en dos minutos", "pas à pas"), the publisher's own comparison
    // tool: 0.9346, F1 0.9512. The fifteenth round (scored unseen when it came: 17 of 28 ads,
    // char P 94.9%, retained 0.9937, one of its seven articles without ads cut, a profile of a
    // newsletter's founder; 18 of 28 after a Spanish call to action written from one of its
    // misses) took the corpus to 430 articles; with a category cue that fires in the next block
    // and one further away as the article's topic (that profile kept): 0.9201, F1 0.9410,
    // retained 0.9992, none cut. The floors fell with the grown corpus, not with a change. A
    // paragraph ending in a French closing quote « … » no longer read as an unpunctuated short
    // line: retained 0.9993, F1 0.9421. Up to four words between "our" and what the publisher
    // offers ("Our free 12-week GCSE revision planner"): 0.9218, F1 0.9431. The sixteenth round
    // (scored unseen when it came: 20 of 27 ads, char P 100%, retained 1.0, none of its seven
    // articles without ads cut) took the corpus to 450 articles and these figures to 0.9136,
    // F1 0.9385, retained 0.9994: the floors fell with the grown corpus, not with a change.
    // Spanish imperatives with a pronoun ("Descárgalo"), "informe exclusivo", "– use code …" as
    // a call to action's tail, "Numbers are limited to 24", "Jetzt … Depot eröffnen." with its
    // period, and a product box's label ("Our pick:", "Unser Testsieger:") opening an insert of
    // its own: 0.9169, F1 0.9407, retained 0.9994. The seventeenth round (scored unseen when it
    // came: 21 of 26 ads, char P 89.8%, retained 0.9924, two of its seven articles without ads
    // cut, both by "inscrivez-vous", which counted as a call to action and as an event at once;
    // without the verbs in the event rules: none cut, P 95.4%) took the corpus to 470 articles
    // and these figures to 0.9123, F1 0.9377, retained 0.99926: the floors fell with the grown
    // corpus, not with a change. An interview's answers as the interviewee's speech: the same.
    // Two or more lines opening with the same list marker as list items, not headings (the last
    // related link no longer heads the paragraph under the list): 0.9156, F1 0.9381. The
    // eighteenth round (scored unseen when it came: 17 of 28 ads, char P 92.3%, retained
    // 0.9951, none of its seven articles without ads cut; rules fitted by `train` on the other
    // 470 articles: 19 of 28) took the corpus to 490 articles and these figures to 0.9022, F1
    // 0.9313, retained 0.99909: the floors fell with the grown corpus, not with a change.
    // "Folgen Sie …", "Siga …", a push message as an app's cue, a prompt pasted right above a
    // liveblog entry binding to nothing, the publisher's podcast episodes as its own voice and
    // "On today's episode of …, our …": 0.9068, F1 0.9331 (round 18: 20 of 28). A French
    // paper describing itself as independent, "sans actionnaire ni …", and journalism that
    // "a un coût" ten words on, as appeals: 0.9099, F1 0.9338. The nineteenth round (scored
    // unseen when it came: 18 of 26 ads, char P 86.5%, retained 0.9898, one of its seven
    // articles without ads cut, by consumer experts' advice; 20 of 26, none cut, after cues
    // written from it; rules fitted by `train` on the other 490: 20 of 26) took the corpus to
    // 510 articles and these figures to 0.9045, F1 0.9294, retained 0.99885: the floors fell
    // with the grown corpus, not with a change. A liveblog entry that quotes or reports
    // someone before its pitch keeps its news, and an offer's introduction that reports
    // someone goes with it only when it names the company: 0.9045, F1 0.9324, retained
    // 0.99960 (char precision 0.989 to 0.996). A heading over the dateline heads nothing, a
    // neutral heading whose section keeps text stays, the publisher's workshops, "Readers get
    // 15% off …" as a partner's offer, and a run that only tells of an app or a subscription
    // business (no "you", no call to action) as a report: 0.9060, F1 0.9342, retained 0.99960.
    // The twentieth round (scored unseen when it came: 24 of 27 ads, char P 85.6%, retained
    // 0.9875, one of its seven articles without ads cut; 26 of 27, none cut, after the changes
    // above, some written from it; rules fitted by `train` on the other 510: 27 of 27) took
    // the corpus to 530 articles and these figures to 0.9082, F1 0.9352, retained 0.99962.
    // Free trials, named apps, a paragraph that leans promo to its call to action: no change
    // here. The twenty-first round (unseen: 17 of 27 ads, char P 100%, none cut; 24 of 27 after
    // cues written from it; rules fitted by `train` on the other 530: 24 of 27) took the
    // corpus to 550 articles and these figures to 0.9075, F1 0.9354, retained 0.99964: the
    // caught floor fell with the grown corpus. The twenty-second round (unseen: 19 of 29 ads,
    // char P 77.0%, retained 0.9782, one of its seven articles without ads cut; 20 of 29, none
    // cut, after the changes written from it; rules fitted by `train` on the other 550: 20 of
    // 29) took the corpus to 570 articles and these figures to 0.8991, F1 0.9309, retained
    // 0.99950: the floors fell with the grown corpus. Paywall notes that say what the reader is
    // reading ("Sie lesen einen Artikel aus … Plus"): 0.9004, F1 0.9310. A promo run that
    // closes its paragraph over two or more sentences takes the paragraph's plain opening:
    // 0.9084, F1 0.9363. The twenty-third round (unseen: 21 of 30 ads, char P 89.2%, retained
    // 0.9907, one of its seven articles without ads cut, an interview; 22 of 30 with the change
    // just named) took the corpus to 590 articles and these figures to 0.9017, F1 0.928,
    // retained 0.9992, its interview cut; an interview's questions that open with a statement
    // as its questions: 0.9017, F1 0.9298, retained 0.99952, none cut; hand-overs that leave the naming to the
    // next sentence and the set-up paragraph above them, mid-sentence calls to action in
    // Spanish and French, French and Spanish urgency: 0.9068, F1 0.9337 (round 23, now seen:
    // 25 of 30). The headlines under a related-link line, reader events: 0.9106, F1 0.9348.
    // The twenty-fourth round (unseen: 25 of 30 ads, char P 100%, retained 1.0, none of its
    // seven articles without ads cut; 27 of 30 after the two changes just named; rules fitted
    // by `train` on the other 590: 25 of 30) took the corpus to 610 articles: 0.9102, F1
    // 0.9343, retained 0.99953. Fine print under an insert, hand-overs that say others chose
    // the offer, comparison services, Spanish usted imperatives: 0.9176, F1 0.938. The
    // twenty-fifth round (unseen: 21 of 29 ads, char P 100%, retained 1.0, none cut; 22 of 29
    // after related-link openers that name what they list; rules fitted by `train` on the
    // other 610: 20 of 29) took the corpus to 630 articles: 0.9121, F1 0.9362, retained
    // 0.99955. Capitals lines as box labels: 0.913, F1 0.937. The twenty-sixth round (unseen:
    // 23 of 31 ads, char P 92.9%, retained 0.9917, one of its seven articles without ads cut, a
    // car test's verdict lines; none cut and 25 of 31 after the review-verdict and related-link
    // cues; rules fitted by `train` on the other 630: 24 of 31) took the corpus to 650
    // articles: 0.9095, F1 0.9344, retained 0.99947. A paragraph that brings a seller in and
    // ends on a call to action naming it again (its web address) goes whole: 0.9129, F1
    // 0.9379, retained 0.99947. The twenty-seventh round (unseen: 24 of 30 ads, char P 83.9%,
    // retained 0.9814, none of its seven articles without ads cut but four story paragraphs
    // of others; rules fitted by `train` on the other 650: 22 of 30) took the corpus to 670
    // articles: 0.909, F1 0.934, retained 0.99891. An offer to readers takes its paragraph
    // whole only when it closes it (or only sentences that lean promo follow: "21+. Gambling
    // problem?", now gambling fine print): retained 0.99912, F1 0.9349. Estimates ("la AEVI
    // calcula que", "L'ARS prévoit") as reported speech and "… should check" as advice, so
    // that a story paragraph above a publisher's event is no lead-in: retained 0.99945, F1
    // 0.9363. The twenty-eighth round (unseen: 21 of 30 ads, char P 77.9%, retained 0.9775, one
    // of its seven articles without ads cut, a neobank's plan prices; rules fitted by `train`
    // on the other 670: 22 of 30, none cut) took the corpus to 690 articles: 0.9025, F1
    // 0.9295, retained 0.99870, one cut. A price per month names a subscription business, so a
    // report of plan prices is a business report: none cut; a liveblog entry that tells three
    // sentences of news before its run keeps them; "WIN!" as a giveaway's label; readers
    // "stellen sich … die Frage", "cherchent", "buscan" as the reader's problem: 0.9068, F1
    // 0.9357, retained 0.99947, none cut. The regulators' CFD warnings ("74 % des comptes
    // d'investisseurs particuliers perdent de l'argent") as risk notes: 0.9078, F1 0.9374; a
    // seller that is "partenaire de notre journal" as a partner's offer: 0.9089, F1 0.9383.
    // The twenty-ninth round (unseen: 18 of 28 ads, char P 85.2%, retained 0.9888, one of its
    // seven articles without ads cut, a test of farm loaders; rules fitted by `train` on the
    // other 690: 18 of 28, one cut) took the corpus to 710 articles: 0.9011, F1 0.9316,
    // retained 0.99912, one cut. A run of short lines that each carry a price and nothing else
    // is a price list, not a box; "la plupart des marques …" (most makers, dealers, banks) as
    // advice; a liveblog entry's three sentences of news are no set-up of the pitch glued to
    // its end: F1 0.9331, retained 0.99949, none cut. A linked headline that sums the story
    // up is still an item of the related list above it: 0.9032, F1 0.9337.
    let floors = Floors {
        caught: 0.903,
        retained: 0.9994,
        cut: 0,
        f1: 0.933,
    };
    assert_floors("built-in rules", &report.overall, floors);
}

/// `text` hard-wrapped at `width` characters, as mail and plain-text exports leave articles:
/// every line but the title broken at the last space that keeps it within the width. Spaces
/// become line breaks, so every byte offset (the gold spans) stays where it was.
fn hard_wrapped(text: &str, width: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let title_end = text.find('\n').unwrap_or(text.len());
    let mut line_start = title_end + 1;
    let mut last_space = None;
    for (at, c) in text.char_indices().skip_while(|(at, _)| *at <= title_end) {
        if c == '\n' {
            line_start = at + 1;
            last_space = None;
            continue;
        }
        if text[line_start..at].chars().count() >= width {
            if let Some(space) = last_space {
                bytes[space] = b'\n';
                line_start = space + 1;
                last_space = None;
            }
        }
        if c == ' ' {
            last_space = Some(at);
        }
    }
    String::from_utf8(bytes).expect("spaces replaced by line breaks")
}

/// The layout must not decide what is removed: hard-wrapped at 72 columns, the articles are
/// cleaned as they are with one paragraph per line, both those whose paragraphs stand apart by
/// blank lines and those without a blank line (where only a short last line ends a paragraph).
#[test]
fn hard_wrapped_articles_are_cleaned_like_their_unwrapped_originals() {
    let corpus = corpus();
    let body = |a: &eval::GoldArticle| -> Vec<String> {
        a.text.trim().lines().skip(1).map(str::to_string).collect()
    };
    let blank_between = |a: &&eval::GoldArticle| {
        body(a)
            .windows(2)
            .all(|w| w[0].trim().is_empty() || w[1].trim().is_empty())
    };
    // Not the articles already hard-wrapped: wrapped again, they would hold orphan words.
    let rules = RuleSet::builtin();
    let wrapped_already = |a: &eval::GoldArticle| {
        klartext::structure::parse(&a.text, &a.annotation.language, &rules)
            .blocks
            .iter()
            .any(|b| b.span.of(&a.text).contains('\n'))
    };
    let no_blank = |a: &&eval::GoldArticle| {
        body(a).iter().all(|l| !l.trim().is_empty()) && !wrapped_already(a)
    };
    // Per layout: how to pick the articles, how many must come out really wrapped, and how
    // many points of ads caught wrapping may cost. Without blank lines a paragraph that ends on
    // a full line reads as running on, so paragraphs are parted at every sentence end that
    // meets a line break: soft advertorials lose the paragraph that carries their neutral
    // opening (93.8% caught one paragraph per line, 90.5% wrapped, since cues read across
    // line breaks and a liveblog entry goes on past a sentence end; with the thirteenth round,
    // 91.7% against 88.2%; with the twelfth, 90.8% against 87.5%; with disclosures under
    // their insert closing the whole paragraph above, 92.9% against 89.2%; 92.3% against 86.7%
    // before; before such text could be read as wrapped, 62.2% caught, 63.8% of the editorial
    // text kept, 52 of 95 articles without ads cut).
    type Pick<'a> = &'a dyn Fn(&&eval::GoldArticle) -> bool;
    let layouts: [(&str, Pick, usize, f64); 2] = [
        ("blank lines between paragraphs", &blank_between, 40, 0.03),
        ("no blank lines", &no_blank, 60, 0.04),
    ];
    for (layout, pick, at_least, caught_cost) in layouts {
        let articles: Vec<eval::GoldArticle> = corpus.iter().filter(pick).cloned().collect();
        let wrapped: Vec<eval::GoldArticle> = articles
            .iter()
            .map(|a| eval::GoldArticle {
                text: hard_wrapped(&a.text, 72),
                ..a.clone()
            })
            .collect();
        let really_wrapped = wrapped
            .iter()
            .zip(&articles)
            .filter(|(w, a)| w.text.lines().count() > 2 * a.text.lines().count())
            .count();
        assert!(
            really_wrapped > at_least,
            "{layout}: {really_wrapped} of {} wrapped",
            articles.len()
        );
        let plain = eval::evaluate(&articles, &rules).overall;
        let report = eval::evaluate(&wrapped, &rules);
        print(&format!("{layout}, one paragraph per line"), &plain);
        print(&format!("{layout}, hard-wrapped at 72"), &report.overall);
        let c = report.overall;
        // Before wrapped paragraphs became one block each, every line was a paragraph of its
        // own: 60.8% of the editorial text kept and every article without ads cut. Before
        // text without blank lines could be wrapped, an opera review wrapped that way lost
        // two paragraphs.
        assert_eq!(
            c.no_promo_articles_cut, 0,
            "{layout}: {:#?}",
            report.false_cuts
        );
        assert!(
            c.editorial_retained_ratio() >= 0.999,
            "{layout}: {:#?}",
            report.false_cuts
        );
        assert!(
            c.ads_caught_ratio() >= plain.ads_caught_ratio() - caught_cost,
            "{layout}: {:#?}",
            report.misses
        );
    }
}

/// Invisible format characters change nothing: every corpus article, with a soft hyphen (and,
/// apart, a zero-width space) in every word of ten letters or more, loses the same passages
/// (spans of the text as given, with the characters inside them) with the same categories and
/// rules, and comes out as the same clean text (without them); its title and dateline are what
/// stands in the text given.
#[test]
fn invisible_characters_in_long_words_change_nothing() {
    use klartext::structure::Span;
    let rules = RuleSet::builtin();
    let articles = corpus();
    let plain = eval::evaluate(&articles, &rules).overall;
    print("as written", &plain);
    for invisible in ['\u{AD}', '\u{200B}'] {
        let mut differ = Vec::new();
        let mut changed = Vec::new();
        let mut inserted = 0;
        for article in &articles {
            let (text, at_offsets) = with_invisible(&article.text, invisible);
            inserted += at_offsets.len();
            // Where an offset of the article went: no span starts or ends inside a word.
            let shift = |offset: usize| {
                offset + invisible.len_utf8() * at_offsets.partition_point(|&at| at < offset)
            };
            let shifted = |span: Span| Span::new(shift(span.start), shift(span.end));
            let original = klartext::article::clean(&article.text, &rules);
            let cleaned = klartext::article::clean(&text, &rules);
            let summary = |a: &klartext::CleanArticle, shift: &dyn Fn(Span) -> Span| {
                let ads: Vec<_> = a
                    .ads
                    .iter()
                    .map(|ad| (shift(ad.span), ad.category, ad.rules.clone()))
                    .collect();
                let title = a.structure.blocks.first().map(|b| shift(b.span));
                let dateline = a.structure.dateline.as_ref().map(|d| shift(d.span));
                (
                    ads,
                    title,
                    dateline,
                    a.clean_text.clone(),
                    a.headings.clone(),
                )
            };
            if summary(&cleaned, &|s| s) != summary(&original, &shifted) {
                differ.push(article.id.clone());
            }
            if let Some(dateline) = &cleaned.structure.dateline {
                assert_eq!(dateline.text, dateline.span.of(&text), "{}", article.id);
            }
            assert!(!cleaned.clean_text.contains(invisible), "{}", article.id);
            changed.push(eval::GoldArticle {
                text,
                ad_spans: article.ad_spans.iter().map(|s| shifted(*s)).collect(),
                dateline_span: article.dateline_span.map(shifted),
                ..article.clone()
            });
        }
        assert!(inserted > 10_000, "{inserted} characters inserted");
        assert!(differ.is_empty(), "U+{:04X}: {differ:#?}", invisible as u32);
        let report = eval::evaluate(&changed, &rules).overall;
        print(
            &format!("with U+{:04X} in long words", invisible as u32),
            &report,
        );
        // Before klartext read past them, soft hyphens took ads caught from 94.6% to 80.0% and
        // cut an article without ads.
        assert_eq!(report.ads_caught, plain.ads_caught);
        assert_eq!(report.no_promo_articles_cut, plain.no_promo_articles_cut);
    }
}

/// Blank lines carry no meaning, except between hard-wrapped paragraphs: every other corpus
/// article, with its blank lines taken out or with a blank line after every line, comes out as
/// the same clean text with the same ads.
#[test]
fn blank_lines_between_paragraphs_change_nothing() {
    let rules = RuleSet::builtin();
    let summary = |text: &str| {
        let cleaned = klartext::article::clean(text, &rules);
        let ads: Vec<(String, String)> = cleaned
            .ads
            .iter()
            .map(|ad| {
                let words = ad.span.of(text).split_whitespace().collect::<Vec<_>>();
                (ad.category.name().to_string(), words.join(" "))
            })
            .collect();
        (cleaned.clean_text, ads)
    };
    let mut differ = Vec::new();
    for article in corpus() {
        // In a hard-wrapped article the blank lines are what part its paragraphs.
        let language = &article.annotation.language;
        let structure = klartext::structure::parse(&article.text, language, &rules);
        if structure
            .blocks
            .iter()
            .any(|b| b.span.of(&article.text).contains('\n'))
        {
            continue;
        }
        let lines: Vec<&str> = article
            .text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        let original = summary(&article.text);
        for (layout, text) in [
            ("no blank lines", lines.join("\n")),
            ("blank lines", lines.join("\n\n")),
        ] {
            if summary(&text) != original {
                differ.push(format!("{} with {layout}", article.id));
            }
        }
    }
    assert!(differ.is_empty(), "{differ:#?}");
}

/// Cleaning searches the block below only for the sentences whose echo below the decoder may
/// read (`labels::reads_echo_below`), and leaves 0 elsewhere. On every article, and under
/// weights far from the built-in ones (as `train` and the folds fit them), the decoder's
/// margins and labels are the same as with the echo below of every sentence.
#[test]
fn the_echo_below_is_found_wherever_the_decoder_reads_it() {
    use klartext::features::{self, SentenceFeatures};
    use klartext::labels;
    use klartext::rules::Weights;

    let rules = RuleSet::builtin();
    let base = rules.weights();
    let weights = [
        base,
        Weights { bias: 0.2, ..base },
        Weights {
            bias: 1.2,
            paragraph_support: 0.8,
            ..base
        },
        Weights {
            switch_between_paragraphs: 0.05,
            switch_after_heading: 0.1,
            glued_run_continues: 0.2,
            ..base
        },
    ];
    let mut skipped = 0;
    for article in corpus() {
        let reading = klartext::article::read(&article.text, &rules);
        let (structure, sentences) = (&reading.structure, &reading.sentences);
        let text = reading.text(&article.text);
        let language = &reading.language.code;
        let every = features::extract(text, structure, sentences, language, &rules);
        let read = labels::reads_echo_below(sentences, &every, &rules);
        let mut sparse = every.clone();
        for (f, _) in sparse.iter_mut().zip(&read).filter(|(_, read)| !**read) {
            skipped += usize::from(f.echo_below > 0);
            f.echo_below = 0;
        }
        assert_eq!(
            klartext::clean(&article.text, &rules).features,
            sparse,
            "{}",
            article.id
        );
        let scores: Vec<f64> = every.iter().map(|f| f.score).collect();
        for weights in weights {
            let decode = |features: &[SentenceFeatures]| {
                let context = labels::Context::new(structure, sentences, features, &rules);
                (
                    labels::emissions(&scores, sentences, &context, weights),
                    labels::decode(&scores, sentences, &context, weights),
                )
            };
            assert_eq!(decode(&sparse), decode(&every), "{}", article.id);
        }
    }
    println!("echoes the decoder does not read, left out: {skipped}");
    // The test tells something only if the decoder is shown echoes that it must not need.
    assert!(skipped > 1000, "{skipped} echoes left out");
}

/// What `klartext count` reports per category rests on the category of each ad caught.
#[test]
fn caught_ads_get_their_gold_category() {
    let report = eval::evaluate(&corpus(), &RuleSet::builtin());
    let right = report.overall.category_right_ratio();
    println!(
        "category right: {right:.3} of {} ads caught; wrong: {:#?}",
        report.overall.ads_caught,
        report
            .wrong_categories
            .iter()
            .map(|w| format!("{} [{} taken for {}]", w.id, w.gold.name(), w.found.name()))
            .collect::<Vec<_>>()
    );
    // 0.910 (254 of 279) with category rules alone; category hints (`[[hint]]`): 0.9606 (268);
    // the sixth round's 24 ads (250 articles): 0.9604 (291 of 303); with the ads of liveblog
    // entries and introduced companies' offers to readers caught: 0.9619 (303 of 315); an
    // event's limited places as a cue: 0.9684 (306 of 316); the seventh round's 25 ads (270
    // articles): 0.9668 (320 of 331); the ninth round's 29 ads (290 articles): 0.9566; podcasts
    // and comparison sites as hints, French event words in the plural: 0.9725 (353 of 363);
    // the tenth round's 25 ads (310 articles): 0.9655 (364 of 377); the eighth and eleventh
    // rounds' 52 ads (350 articles): 0.9586; two podcast promos annotated `newsletter` put
    // with the other eleven as `other`, as corpus/README.md now says: 0.9593; the thirteenth
    // round's 25 ads (370 articles): 0.9568; the twelfth round's 28 (390 articles): 0.9518;
    // trade fairs as events, Québec's "infolettre" as a newsletter: 0.9542; with the ads that
    // a disclosure under their paragraph, fee-waiving rewards and readers' discounts catch, a
    // French "dossier" no longer hinting at a German or Spanish lead magnet: 0.9549; voyages
    // and tours as event hints: 0.9557; the fourteenth round's 26 ads (410 articles): 0.9558;
    // with the ads that the Spanish and French offer-benefit cues catch: 0.9540 (477 of 500);
    // the fifteenth round's 28 ads (430 articles): 0.9556; rounds 16 to 20 (530 articles):
    // 0.9556; the twenty-first round's 27 ads (550 articles), whose insurance and leasing
    // offers are annotated `affiliate`: 0.9513; comparing insurance quotes, long-term leasing and
    // an insurer's premium discount as affiliate hints: 0.9528; the twenty-second round's 29
    // ads (570 articles): 0.9498. The floor fell with the corpus. The twenty-third round's 30
    // ads (590 articles): 0.9461; two more ads caught, both given another category than their
    // gold one (a law firm's free call, annotated `affiliate`, as `other`; invoicing software at
    // 9,90 € a month, `affiliate`, as `subscription`): 0.9437. The floor fell with the corpus
    // and with ads newly caught. The twenty-fourth round's 30 ads (610 articles), with the
    // related-link lists: 0.9459. The twenty-fifth round's 29 ads (630 articles), whose
    // affiliate boxes for data plans, streaming, hotels and parcel couriers read as
    // subscription, other and app offers: 0.9414. The floor fell with the corpus. The
    // twenty-sixth round's 31 ads (650 articles): 0.9408. Three more ads caught by their
    // seller's paragraph, with installers' discounts and quotes as affiliate hints: 0.9423.
    // The twenty-seventh round's 30 ads (670 articles), with gambling fine print: 0.9440. The
    // twenty-eighth round's 30 ads (690 articles): 0.9418; with its changes, which catch ads
    // whose hints read another category (a grain broker's app as `app`): 0.9409. The floor fell
    // with the corpus and with ads newly caught. The twenty-ninth round's 28 ads (710
    // articles): 0.9388. The floor fell with the corpus.
    assert!(right >= 0.938, "category right {right:.4}, floor 0.938");
}

#[test]
fn detection_cross_validated_in_five_folds() {
    let report = eval::cross_validate(
        &corpus(),
        &RuleSet::builtin(),
        5,
        klartext::train::FitOptions::default(),
    );
    // The calibrated bias took retained from 0.999 to 0.9987 (caught 0.69 to 0.84); the
    // decoder's cost for a run that absorbs story sentences before one glued pitch, and the
    // hand-over from a glued pitch to the next insert, brought it back (0.9999); French and
    // Spanish stopword ties told apart took caught to 0.845. Closing lines and lead-ins (soft
    // advertorials' set-ups go with their pitch) took it to 0.874; with cue families for short
    // inserts (the publisher's own offers and events, reader-desire hooks, price drops,
    // affiliate notes) to 0.913, F1 0.920. A label's insert taking its set-up, and the
    // publisher's boxes (heading, short paragraphs, call to action) going whole, to 0.932, F1
    // 0.944, retained 1.0; the reader told to use an app for a task, to 0.937; the publisher's
    // own offers and the reader-desire hook pitching for their paragraph, to 0.942, F1 0.948.
    // Calls to action that name what only their paragraph names (and the set-up and heading
    // that go with it), buttons in the reader's voice and French and Spanish risk notes (alone
    // 0.913 to 0.932, F1 0.947) together with those: 0.952, F1 0.965, retained 1.0000, on the
    // corpus grown to 174 articles by a round written without sight of the rules. Buttons
    // after a dash, a newsletter named by its desk, and a short set-up over a one-line pitch
    // that names it (quoted titles no longer counting as speech): 0.965, F1 0.971; a free
    // document sent as a PDF by email as a lead-magnet cue: 0.969, F1 0.976. A short set-up
    // above a hand-over, and the publisher's own offer no longer taken for a story sentence:
    // 0.982 (issue 4's target of 0.98 reached), F1 0.984; a lead-in whose problem sentence
    // scores as a pitch: 0.986, F1 0.987 (on the 174 articles). A third round of 16
    // articles written without sight of the rules (unseen, klartext caught 8 of their 16 ads)
    // took the corpus to 190 articles and these figures to 0.951, F1 0.9715, retained 0.9995
    // (one editorial sentence of a match report before a glued betting pitch; no article
    // without ads cut, after bylines and "Sie sollten" advice became editorial cues and with a
    // giveaway's label without its hyphen, its entry instructions and "download the app to do
    // a task" as cues). Two or more plain story sentences opening a paragraph no longer
    // vouched for by the pitch glued to its end: retained 1.0000, F1 0.974; a set-up before
    // a hand-over inside its own paragraph: 0.955, F1 0.974; or before the publisher's own
    // offer: 0.959, F1 0.975; a risk note alone under a pitch as its fine print: 0.963, F1
    // 0.976; a set-up above a hand-over that opens with a pitching hook: 0.967, F1 0.979; the
    // problem as the reason readers turn to such offers as a hand-over cue: 0.971, F1 0.982;
    // hook questions up to 80 characters: 0.976, F1 0.983; the reader's problem handing over
    // inside its paragraph: 0.980 (issue 4's target reached again), F1 0.986; the reward tied
    // to signing up as a cue: F1 0.990. The fourth round (20 articles, unseen: 20 of 26 ads)
    // and folds by a hash of the path instead of the index took the corpus to 210 articles
    // and these figures to 0.930, F1 0.953, retained 0.9998, one article without ads cut (a
    // review's closing advice, "start with the free version of …", in a fold with a low
    // bias): the floors fell with the grown corpus, not with a change. A risk note's block of
    // two sentences as its fine print: 0.934, F1 0.956; no glued run starting at a sentence
    // on the story's topic that names no offer: retained 1.0000, no article without ads cut;
    // a hook right before a pitch as its opening: 0.9375, F1 0.9568. Word rules learned only
    // with --learn-words (FitOptions), and an association's website as a public provider's:
    // 0.944, F1 0.958, retained 1.0000. The fifth round (20 articles, unseen: 17 of 29 ads)
    // took the corpus to 230 articles and these figures to 0.917, F1 0.939, retained 0.9990,
    // one article without ads cut (a police statement quoted over three paragraphs); a
    // quotation carried over paragraphs as speech: 0.900, F1 0.929, retained 0.9993, none cut;
    // a source line as metadata: retained 0.9994; a glued run that ends the article on a
    // sentence not promo by itself paying to end there: retained 0.9996, F1 0.9300; a French
    // closing quote no longer an arrow, "zum Herunterladen" no longer a call to action, and a
    // named body's advice as advice: 0.914, F1 0.938, retained 0.9999. A short paragraph
    // posing the reader's problem or handing over, right above a pitch, as its set-up (with
    // the reader-problem and hand-over families grown in the four languages): 0.9369, F1
    // 0.9620, retained 0.9999.
    // Shop buttons, publisher appeals, podcast teasers and unlimited reading as cues, and a
    // closing line no longer bridging a story paragraph to the next insert (on their own from
    // 0.914: 0.930, F1 0.943; the podcast teaser's cue at 0.5: 0.933, F1 0.944); with the
    // set-ups: 0.9468, F1 0.9652, retained 1.0000. The sixth round (20 articles, unseen: 12 of
    // 24 ads) took the corpus to 250 and these figures to 0.9292, F1 0.9450, retained 1.0000; a
    // charity's helpline as a public provider's: F1 0.9446, retained 0.9999. Ad labels after a
    // liveblog entry's time, third parties' offers to the paper's readers and the publisher's
    // house notes as cues: 0.932, F1 0.948; a liveblog entry with a promo run going whole:
    // 0.942, F1 0.950; an offer to readers taking the paragraph that introduced its company:
    // 0.954, F1 0.963; podcast teasers: 0.9569, F1 0.9647, retained 0.9999; an event's
    // limited places as a cue: F1 0.9661. The seventh round (20 articles, unseen: 15 of 25
    // ads) took the corpus to 270 and these figures to 0.9229, F1 0.9424, retained 1.0000.
    // The ninth round (20 articles, unseen: 15 of 29 ads) took the corpus to 290 and these
    // figures to 0.9024, F1 0.9265, retained 0.9994; an offer's introduction never taken from
    // another liveblog entry: 0.9077, F1 0.9309, retained 0.9997; related-link labels that speak
    // of reading or of the site, in any language: 0.9156, F1 0.9324. On a branch beside those:
    // house notes as one cue family, reader-funding and "our site" link labels: 0.9288, F1
    // 0.9404; a label carrying the block under it that ends in an offer's terms: 0.9446, F1
    // 0.9579; sign-up in one click, giveaway labels, apps for iOS and Android, offers to
    // "readers of this site": 0.9525, F1 0.9648. Both together, with `train` calibrating to at
    // most 0.1% of the inner held-out editorial text (was 0.2%, which cut two articles without
    // ads at K = 10): 0.9525, F1 0.9659, retained 0.9997. The tenth round (20 articles,
    // unseen: 14 of 25 ads) took the corpus to 310 and these figures to 0.8787, F1 0.9106,
    // retained 0.9992: held-out fell further than built-in because `train`'s calibration finds
    // no safe offset once the round's false cuts sit in the inner folds. Its budget counted
    // from the regression's own bias instead of from nothing (the editorial text lowering the
    // bias takes, not what no offset spares): 0.9282, F1 0.9477, retained 0.9989. Hard-wrapped
    // text without blank lines read as wrapped: retained 0.9997, F1 0.9512. Publisher appeals in
    // their own words and prices per month after the amount: 0.9332, F1 0.9528. The eighth and
    // eleventh rounds took the corpus to 350 and these figures to 0.8947, F1 0.9250, retained
    // 0.9992. Appeals that speak of the publication, liveblog entries read past their time,
    // wrapped lines read as one, related-link lists, the article's own "you" no cue: 0.9101,
    // F1 0.9311, retained 0.9996. The thirteenth round took the corpus to 370, with the work
    // on it: 0.9085, F1 0.9300, retained 0.9996. The twelfth round took it to 390: 0.8919,
    // F1 0.9169, retained 0.9996; with its appeals' wordings: 0.8978, F1 0.9181; French
    // appeals, no lead-in above an appeal: 0.8998, F1 0.9201. Fee-waiving sign-up rewards,
    // disclosures under their insert, readers offered a discount: 0.9077, F1 0.9301. Reader
    // trips' terms, subscribers' prices, introductory offers: 0.9116, F1 0.9345. A shop's
    // button closing the box above it: 0.9136, F1 0.9360. The fourteenth round took the corpus
    // to 410: 0.9159, F1 0.9396, retained 0.9993 (the floor fell with the grown corpus). What
    // an offer promises in Spanish and French, the publisher's comparison tool: 0.9196, F1 0.9421.
    // The fifteenth round took it to 430 articles: 0.8988, F1 0.9274, retained 0.9992 (the
    // floors fell with the grown corpus). A paragraph ending in a French closing quote no
    // longer read as an unpunctuated short line kept a quoted paragraph under an app line
    // (retained 0.9993) and cost one held-out ad: 0.8970, F1 0.9276; the caught floor was
    // lowered by that one ad, since editorial text comes first. The publisher's offer with
    // four words before its name: 89.9%. The sixteenth round took the corpus to 450 articles:
    // 90.5%, F1 93.1%, retained 99.88%, and one article without ads cut (a chamber's free
    // webinars, whose heading, with weights fitted lower, scored under the bias and led in to
    // its paragraph). A lead-in that carries any editorial evidence (a public body as the
    // provider) is no lead-in: 0.9169, F1 0.9394, retained 0.9991, none cut. The cues that
    // raised the built-in figure by two ads above (a product box's label, Spanish imperatives
    // with a pronoun, a code in a call to action's tail) moved the held-out folds the other way
    // by one (91.5%; 10 folds one ad down too, 4 folds one up): fold noise around changes that
    // generalise, kept. The seventeenth round took the corpus to 470 articles: 0.8961, F1 0.9237,
    // retained 0.9985, one article without ads cut (an interview whose founder told readers
    // "inscrivez-vous comme conducteur"). The paragraph under an interview's question, in an
    // interview answered in the first person, as the interviewee's speech (editorial evidence):
    // 0.9026, F1 0.9313, retained 0.9991, none cut. List items as no headings: 0.9058, F1
    // 0.9317. The eighteenth round took the corpus to 490 articles: 0.8991, F1 0.9285, retained
    // 0.99895 (the floors fell with the grown corpus). The same cues as above: 0.9037, F1 0.9300.
    // French appeals that describe the paper: 0.9068, F1 0.9307. The nineteenth round took the
    // corpus to 510 articles: 0.9000, F1 0.9260, retained 0.99871, none cut (the floors fell
    // with the grown corpus). Liveblog news kept before a glued pitch, an offer's reporting
    // introduction taken only by the company's name: 0.9000, F1 0.9291, retained 0.99947.
    // The heading, workshop, readers' discount and business-report changes above: 0.9060, F1
    // 0.9345, retained 0.99966. The twentieth round took the corpus to 530 articles: 0.9082,
    // F1 0.9355, retained 0.99949, none cut (the retained floor fell with the grown corpus).
    // The twenty-first round took it to 550 articles: 0.9102, F1 0.9367, retained 0.99947.
    // The twenty-second took it to 570: 0.9017, F1 0.9297, retained 0.99889, none cut (the
    // floors fell with the grown corpus). Paywall notes that say what the reader is reading:
    // 0.9031, F1 0.9298. A promo run that closes its paragraph takes its plain opening: 0.9137,
    // F1 0.9371. The twenty-third round took the corpus to 590 articles: 0.8225, F1 0.8720,
    // retained 0.9992, two articles without ads cut: one interview trap that the built-in rules
    // cut too raised the bias `train` calibrates from 0.59 to 0.79 (calibration stops at the
    // first offset that cuts one more article without ads). An interview's questions that
    // open with a statement as its questions, and "We spoke to …" as reported speech: 0.8991,
    // one cut; a list whose items end in semicolons no short-line run: 0.9004, F1 0.9263,
    // retained 0.99888, none cut; hand-overs that leave the naming to the next sentence, and
    // the calls to action and urgency above: 0.9042, F1 0.9300. Related-link lists and reader
    // events: 0.9080, F1 0.9312. The twenty-fourth round took the corpus to 610 articles:
    // 0.9139, F1 0.9344, retained 0.99897, none cut (10 folds 0.9114, 4 folds 0.9053). Fine
    // print, hand-overs, comparison services and Spanish imperatives: 0.9200, F1 0.938. The
    // twenty-fifth round took the corpus to 630 articles: 0.9133, F1 0.9348, retained 0.99912,
    // none cut (10 folds 0.9109, 4 folds 0.9026). Capitals lines as box labels: 0.914. The
    // twenty-sixth round took the corpus to 650 articles: 0.8614 with one article without ads
    // cut (its car test, under a fold's weights; that cut inside calibration raised the bias);
    // the review-verdict cue starting at -0.8 instead of -0.5: 0.9072, F1 0.9321, retained
    // 0.99918, none cut (10 folds 0.9003, 4 folds 0.8923). A paragraph that brings a seller
    // in and ends on its call to action going whole: 0.9106, F1 0.9356, retained 0.99918.
    // The twenty-seventh round took the corpus to 670 articles; with an offer to readers
    // taking its paragraph only when it closes it: 0.8970, F1 0.9292, retained 0.99914, none
    // cut; estimates as reported speech and "… should check" as advice: 0.9025, F1 0.9328,
    // retained 0.99934. The twenty-eighth round took the corpus to 690 articles: 0.8960, F1
    // 0.9279, retained 0.99905, none cut; with the changes named above the built-in floors:
    // 0.8993, F1 0.9320, retained 0.99948, none cut (10 folds 0.8971, 4 folds 0.8918). CFD
    // warnings and the partner of "notre journal": 0.9003, F1 0.9330. The twenty-ninth round
    // took the corpus to 710 articles: 0.8970, F1 0.9291, retained 0.99901, one cut; with the
    // changes named above the built-in floors: 0.8970, F1 0.9306, retained 0.99939, none cut;
    // related-list headlines that sum the story up: 0.8980, F1 0.9312.
    let floors = Floors {
        caught: 0.897,
        retained: 0.9993,
        cut: 0,
        f1: 0.930,
    };
    assert_floors("5-fold held-out", &report.overall, floors);
}

#[test]
fn headings_are_found() {
    let dir = Dir::new();
    let root = repo().join("corpus");
    let out = dir.path().join("out");
    assert!(dir
        .klartext(&[
            "clean",
            root.to_str().unwrap(),
            "--ext",
            "txt",
            "--out",
            out.to_str().unwrap()
        ])
        .status
        .success());
    let (mut right, mut found, mut annotated) = (0, 0, 0);
    for article in corpus() {
        let stem = article.id.strip_suffix(".txt").unwrap();
        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("{stem}.json"))).unwrap(),
        )
        .unwrap();
        let got: Vec<&str> = meta["headings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap())
            .collect();
        let want = &article.annotation.headings;
        right += got.iter().filter(|h| want.iter().any(|w| w == *h)).count();
        found += got.len();
        annotated += want.len();
    }
    let (p, r) = (right as f64 / found as f64, right as f64 / annotated as f64);
    println!("headings: precision {p:.3}, recall {r:.3} ({right} of {annotated})");
    assert!(
        p >= 0.9 && r >= 0.9,
        "heading precision {p:.3}, recall {r:.3}"
    );
}

#[test]
fn the_seed_matches_the_shared_expected_text_when_it_is_there() {
    let shared = repo().join("../shared/seed");
    let corpus_copy = repo().join("corpus/de/amazon-ki-wettlauf.txt");
    // The corpus holds a copy of the seed; when the shared original is beside the repository,
    // the two must agree and the output must equal the expected file.
    let expected = match std::fs::read_to_string(shared.join("amazon-ki-wettlauf.expected.txt")) {
        Ok(text) => text,
        Err(_) => {
            eprintln!(
                "../shared/seed is not beside the repository; checking the corpus copy alone"
            );
            return the_seed_alone(&corpus_copy);
        }
    };
    assert_eq!(
        std::fs::read_to_string(shared.join("amazon-ki-wettlauf.txt")).unwrap(),
        std::fs::read_to_string(&corpus_copy).unwrap()
    );
    let dir = Dir::new();
    let result = dir.klartext(&["clean", shared.to_str().unwrap(), "--out", "o"]);
    assert!(result.status.success());
    assert_eq!(
        lines(&dir.read("o/amazon-ki-wettlauf.txt")),
        lines(&expected)
    );
    the_seed_alone(&corpus_copy);
}

/// The seed's metadata and exact clean text, from the corpus copy and its annotation.
fn the_seed_alone(corpus_copy: &std::path::Path) {
    let dir = Dir::new();
    let result = dir.klartext(&["clean", corpus_copy.to_str().unwrap(), "--out", "o"]);
    assert!(result.status.success());
    let meta = dir.json("o/amazon-ki-wettlauf.json");
    assert_eq!(meta["language"], "de");
    assert_eq!(meta["counts"]["ads"], 2);
    assert_eq!(
        meta["title"],
        "Amazon investiert 200 Milliarden Euro in KI-Wettlauf"
    );
    assert_eq!(meta["dateline"]["datetime"], "2026-02-06T08:41:11");
    let text = std::fs::read_to_string(corpus_copy).unwrap();
    let gold = corpus()
        .into_iter()
        .find(|a| a.id == "de/amazon-ki-wettlauf.txt")
        .unwrap();
    for (ad, span) in meta["ads"].as_array().unwrap().iter().zip(&gold.ad_spans) {
        let (start, end) = (
            ad["start"].as_u64().unwrap() as usize,
            ad["end"].as_u64().unwrap() as usize,
        );
        let slice: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(
            slice,
            ad["text"].as_str().unwrap(),
            "offsets are character offsets into the input"
        );
        assert_eq!(
            slice,
            span.of(&text),
            "the ad is exactly the annotated passage"
        );
    }
}
