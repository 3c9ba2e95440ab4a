//! AGGIR: every one of the 3^10 combinations against a formulation of CASF annexe 2-2 written here
//! independently (transposed tables, explicit threshold chains), the worked cases and traces of the
//! reference notes (aggir.md §6), the adverb rule, the combination table, parsing, the explanation
//! and the comparison of two evaluations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use parcours_domain::aggir::{
    self, Adverb, Adverbs, Answers, Evaluation, Group, Letter, Letters, SubVariable, Variable,
};

// ---------------------------------------------------------------------------------------------
// An independent formulation of annexe 2-2
// ---------------------------------------------------------------------------------------------

/// Per variable (rows: cohérence … communication), per group A..H: (value if C, value if B),
/// copied from the text group by group into this transposed layout.
const BY_VARIABLE: [[(i32, i32); 8]; 10] = [
    // Cohérence
    [
        (2000, 0),
        (1500, 320),
        (0, 0),
        (0, 0),
        (400, 0),
        (200, 100),
        (150, 0),
        (0, 0),
    ],
    // Orientation
    [
        (1200, 0),
        (1200, 120),
        (0, 0),
        (0, 0),
        (400, 0),
        (200, 100),
        (150, 0),
        (0, 0),
    ],
    // Toilette
    [
        (40, 16),
        (40, 16),
        (40, 16),
        (0, 0),
        (400, 100),
        (500, 100),
        (300, 200),
        (3000, 2000),
    ],
    // Habillage
    [
        (40, 16),
        (40, 16),
        (40, 16),
        (0, 0),
        (400, 100),
        (500, 100),
        (300, 200),
        (3000, 2000),
    ],
    // Alimentation
    [
        (60, 20),
        (60, 0),
        (60, 20),
        (2000, 200),
        (400, 100),
        (500, 100),
        (500, 200),
        (3000, 2000),
    ],
    // Élimination
    [
        (100, 16),
        (100, 16),
        (160, 20),
        (400, 200),
        (800, 100),
        (500, 100),
        (500, 200),
        (3000, 2000),
    ],
    // Transferts
    [
        (800, 120),
        (800, 120),
        (1000, 200),
        (2000, 200),
        (800, 100),
        (500, 100),
        (400, 200),
        (1000, 2000),
    ],
    // Déplacement intérieur (group G, C: official 200)
    [
        (200, 32),
        (-80, -40),
        (400, 40),
        (200, 0),
        (200, 0),
        (200, 0),
        (200, 100),
        (1000, 1000),
    ],
    // Déplacement extérieur
    [(0, 0); 8],
    // Communication
    [(0, 0); 8],
];

/// Letters as 0 = A, 1 = B, 2 = C.
fn sum(group: usize, m: &[u8; 10]) -> i32 {
    (0..10)
        .map(|v| match m[v] {
            2 => BY_VARIABLE[v][group].0,
            1 => BY_VARIABLE[v][group].1,
            _ => 0,
        })
        .sum()
}

/// (rang, group letter, sum of that group), by the text's own chain of « tester les valeurs du
/// groupe suivant ».
fn reference(m: &[u8; 10]) -> (u8, char, i32) {
    let a = sum(0, m);
    if a >= 4380 {
        return (1, 'A', a);
    } else if a >= 4140 {
        return (2, 'A', a);
    } else if a >= 3390 {
        return (3, 'A', a);
    }
    let b = sum(1, m);
    if b >= 2016 {
        return (4, 'B', b);
    }
    let c = sum(2, m);
    if c >= 1700 {
        return (5, 'C', c);
    } else if c >= 1432 {
        return (6, 'C', c);
    }
    let d = sum(3, m);
    if d >= 2400 {
        return (7, 'D', d);
    }
    let e = sum(4, m);
    if e >= 1200 {
        return (8, 'E', e);
    }
    let f = sum(5, m);
    if f >= 800 {
        return (9, 'F', f);
    }
    let g = sum(6, m);
    if g >= 650 {
        return (10, 'G', g);
    }
    let h = sum(7, m);
    if h >= 4000 {
        (11, 'H', h)
    } else if h >= 2000 {
        (12, 'H', h)
    } else {
        (13, 'H', h)
    }
}

fn reference_gir(rang: u8) -> u8 {
    match rang {
        1 => 1,
        2..=7 => 2,
        8 | 9 => 3,
        10 | 11 => 4,
        12 => 5,
        13 => 6,
        _ => panic!("rang {rang}"),
    }
}

fn digits(n: u32) -> [u8; 10] {
    let mut m = [0u8; 10];
    let mut n = n;
    for i in (0..10).rev() {
        m[i] = (n % 3) as u8;
        n /= 3;
    }
    m
}

fn text_of(m: &[u8; 10]) -> String {
    m.iter().map(|d| ['A', 'B', 'C'][*d as usize]).collect()
}

#[test]
fn every_combination_matches_the_independent_formulation_and_the_distribution() {
    let mut distribution = [0u32; 7];
    for n in 0..59_049u32 {
        let m = digits(n);
        let text = text_of(&m);
        let letters = Letters::parse(&text).unwrap();
        assert_eq!(letters.to_string(), text);
        let r = letters.gir();
        let (rang, group, score) = reference(&m);
        assert_eq!(r.rang, rang, "{text}");
        assert_eq!(r.gir, reference_gir(rang), "{text}");
        assert_eq!(r.group.code(), group.to_string(), "{text}");
        assert_eq!(r.score, score, "{text}");
        assert_eq!(r.trials.last().unwrap().score, score, "{text}");
        distribution[r.gir as usize] += 1;
    }
    assert_eq!(distribution, [0, 72, 28_872, 21_600, 6_840, 1_413, 252]);
}

#[test]
fn all_enumerates_each_combination_once() {
    let all: Vec<Letters> = Letters::all().collect();
    assert_eq!(all.len(), 59_049);
    let distinct: std::collections::HashSet<String> = all.iter().map(|l| l.to_string()).collect();
    assert_eq!(distinct.len(), 59_049);
    assert_eq!(all[0].to_string(), "AAAAAAAAAA");
    assert_eq!(all[59_048].to_string(), "CCCCCCCCCC");
}

#[test]
fn exterior_moves_and_remote_communication_never_change_the_gir() {
    for l in Letters::all() {
        let mut a = *l.as_array();
        a[8] = Letter::A;
        a[9] = Letter::A;
        assert_eq!(l.gir().rang, Letters::new(a).gir().rang, "{l}");
    }
}

// ---------------------------------------------------------------------------------------------
// Worked cases and traces (aggir.md §6)
// ---------------------------------------------------------------------------------------------

#[test]
fn the_worked_cases_give_their_gir_rang_group_and_sum() {
    let cases: [(&str, u8, u8, Group, i32); 18] = [
        ("AAAAAAAAAA", 6, 13, Group::H, 0),
        ("CCCCCCCCCC", 1, 1, Group::A, 4440),
        ("CCCCCCCCAA", 1, 1, Group::A, 4440),
        ("AACCCCCCCC", 2, 5, Group::C, 1700),
        ("CCAAAAAAAA", 2, 4, Group::B, 2700),
        ("CCBBABAAAA", 2, 4, Group::B, 2748),
        ("CCCCACBBAA", 2, 3, Group::A, 3532),
        ("AACCAAAAAA", 3, 9, Group::F, 1000),
        ("AACCBBAAAA", 3, 9, Group::F, 1200),
        ("AABBAAAAAA", 4, 11, Group::H, 4000),
        ("AACBAAAAAA", 4, 11, Group::H, 5000),
        ("AABBBBBBAA", 4, 10, Group::G, 1100),
        ("BBBBBBAAAA", 4, 10, Group::G, 800),
        ("AABAAAAAAA", 5, 12, Group::H, 2000),
        ("AAAACAAAAA", 5, 12, Group::H, 3000),
        ("AAAAAACAAA", 6, 13, Group::H, 1000),
        ("BBAAAAAAAA", 6, 13, Group::H, 0),
        ("AAAAAAAACC", 6, 13, Group::H, 0),
    ];
    for (text, gir, rang, group, score) in cases {
        let r = Letters::parse(text).unwrap().gir();
        assert_eq!(
            (r.gir, r.rang, r.group, r.score),
            (gir, rang, group, score),
            "{text}"
        );
    }
}

fn trace(text: &str) -> Vec<(Group, i32)> {
    Letters::parse(text)
        .unwrap()
        .gir()
        .trials
        .iter()
        .map(|t| (t.group, t.score))
        .collect()
}

#[test]
fn the_traces_show_each_group_tried() {
    use Group::*;
    assert_eq!(
        trace("AABBAAAAAA"),
        vec![
            (A, 32),
            (B, 32),
            (C, 32),
            (D, 0),
            (E, 200),
            (F, 200),
            (G, 400),
            (H, 4000)
        ]
    );
    assert_eq!(trace("CCBBABAAAA"), vec![(A, 3248), (B, 2748)]);
    assert_eq!(
        trace("AACCBBAAAA"),
        vec![(A, 116), (B, 96), (C, 120), (D, 400), (E, 1000), (F, 1200)]
    );
    assert_eq!(
        trace("BBBBBBAAAA"),
        vec![
            (A, 68),
            (B, 488),
            (C, 72),
            (D, 400),
            (E, 400),
            (F, 600),
            (G, 800)
        ]
    );
}

const YES: Adverbs = Adverbs::ALL_YES;
const NO: Adverbs = Adverbs::ALL_NO;

/// A full evaluation, every answer "yes".
fn autonomous() -> Evaluation {
    Evaluation::uniform(YES)
}

/// The public sub-variable case (DSAGRO3F/Care_link test_aggir.py): toilette haut A, bas C;
/// habillage bas with S and T missing; everything else A.
fn care_link() -> Evaluation {
    let mut e = autonomous();
    e.toilette.bas = NO;
    e.habillage.bas = Adverbs {
        spontanement: false,
        totalement: false,
        correctement: true,
        habituellement: true,
    };
    e
}

#[test]
fn the_sub_variable_worked_case_gives_gir_4() {
    let a = care_link().compute();
    assert_eq!(a.letters.to_string(), "AABBAAAAAA");
    assert_eq!((a.gir(), a.rang()), (4, 11));
    assert_eq!(a.illustrative, Some([Letter::A; 7]));
    assert_eq!(a.summary(), "GIR 4 (rang 11)");

    let toilette = &a.explanation.variables[Variable::Toilette.index()];
    assert_eq!(toilette.letter, Letter::B);
    assert!(
        toilette
            .reason
            .contains("toilette du haut A, toilette du bas C ; combinaison AC → B"),
        "{}",
        toilette.reason
    );
    let habillage = &a.explanation.variables[Variable::Habillage.index()];
    assert_eq!(habillage.letter, Letter::B);
    let bas = &habillage.sub_variables[2];
    assert_eq!(bas.sub_variable, SubVariable::HabillageBas);
    assert_eq!(bas.missing, vec![Adverb::Spontanement, Adverb::Totalement]);
    assert_eq!(
        bas.reason,
        "B : 2 adverbes sur 4 non acquis (spontanément, totalement)."
    );
}

// ---------------------------------------------------------------------------------------------
// Adverbs, combination, parsing
// ---------------------------------------------------------------------------------------------

#[test]
fn four_yes_is_a_four_no_is_c_anything_else_is_b() {
    for n in 0..16u8 {
        let a = Adverbs {
            spontanement: n & 1 != 0,
            totalement: n & 2 != 0,
            correctement: n & 4 != 0,
            habituellement: n & 8 != 0,
        };
        let expected = match n.count_ones() {
            4 => Letter::A,
            0 => Letter::C,
            _ => Letter::B,
        };
        assert_eq!(a.letter(), expected, "{a:?}");
        assert_eq!(a.missing().len(), 4 - n.count_ones() as usize);
    }
    assert_eq!(Adverbs::ALL_YES.letter(), Letter::A);
    assert_eq!(Adverbs::ALL_NO.letter(), Letter::C);
    assert!(
        Adverbs::ALL_NO
            .reason_fr()
            .starts_with("C : aucun des quatre adverbes")
    );
    let one = Adverbs {
        habituellement: false,
        ..Adverbs::ALL_YES
    };
    assert_eq!(
        one.reason_fr(),
        "B : 1 adverbe sur 4 non acquis (habituellement)."
    );
}

fn letter(c: char) -> Letter {
    Letter::from_char(c).unwrap()
}

/// The decision of this project, written out: any C → C for cohérence, orientation, élimination;
/// only all-C → C for toilette and habillage; alimentation: C when « manger » is C, CB → C, CA → B.
fn expected_combination(v: Variable, p: &str) -> Letter {
    let all_a = p.chars().all(|c| c == 'A');
    let all_c = p.chars().all(|c| c == 'C');
    let any_c = p.contains('C');
    match v {
        _ if all_a => Letter::A,
        Variable::Coherence | Variable::Orientation | Variable::Elimination if any_c => Letter::C,
        Variable::Toilette | Variable::Habillage if all_c => Letter::C,
        Variable::Alimentation if p.ends_with('C') || p == "CB" => Letter::C,
        _ => Letter::B,
    }
}

#[test]
fn the_combination_table_covers_every_combination_as_decided() {
    for v in Variable::ALL {
        let n = v.sub_variables().len();
        if n == 0 {
            assert_eq!(aggir::combine(v, &[Letter::A]), None);
            continue;
        }
        let count = 3usize.pow(n as u32);
        for k in 0..count {
            let mut k2 = k;
            let p: String = (0..n)
                .map(|_| {
                    let c = ['A', 'B', 'C'][k2 % 3];
                    k2 /= 3;
                    c
                })
                .collect();
            let letters: Vec<Letter> = p.chars().map(letter).collect();
            assert_eq!(
                aggir::combine(v, &letters),
                Some(expected_combination(v, &p)),
                "{} {p}",
                v.code()
            );
        }
    }
    // The decided alimentation rows, explicitly.
    let alim = |p: &str| {
        aggir::combine(
            Variable::Alimentation,
            &p.chars().map(letter).collect::<Vec<_>>(),
        )
    };
    assert_eq!(alim("AC"), Some(Letter::C));
    assert_eq!(alim("CA"), Some(Letter::B));
    assert_eq!(alim("CB"), Some(Letter::C));
    assert_eq!(alim("BB"), Some(Letter::B));
    let rule = aggir::combination_rule(Variable::Alimentation, &[Letter::A, Letter::C]).unwrap();
    assert!(rule.reason.contains("« manger » est C"));
    assert!(rule.reason.contains("23/08/2008"));
}

#[test]
fn an_evaluation_combines_through_the_table() {
    let mut e = autonomous();
    e.alimentation.manger = NO;
    let a = e.compute();
    assert_eq!(a.letters.get(Variable::Alimentation), Some(Letter::C));
    // AAAACAAAAA: GIR 5, rang 12.
    assert_eq!((a.gir(), a.rang()), (5, 12));

    let mut e = autonomous();
    e.alimentation.se_servir = NO;
    let a = e.compute();
    assert_eq!(a.letters.get(Variable::Alimentation), Some(Letter::B));

    let mut e = autonomous();
    e.coherence.comportement = NO;
    e.gestion = NO;
    let a = e.compute();
    assert_eq!(a.letters.to_string(), "CAAAAAAAAA");
    assert_eq!(a.letter(Variable::Gestion), Some(Letter::C));
    assert_eq!(a.illustrative.unwrap()[0], Letter::C);
    // Illustrative variables never change the GIR.
    assert_eq!(a.gir(), Letters::parse("CAAAAAAAAA").unwrap().gir().gir);
}

#[test]
fn the_answers_of_an_evaluation_follow_the_grid() {
    let e = care_link();
    for v in Variable::ALL {
        match e.answers(v) {
            Answers::Direct(a) => {
                assert!(v.sub_variables().is_empty(), "{}", v.code());
                assert_eq!(a, YES);
            }
            Answers::Subs(subs) => {
                let order: Vec<SubVariable> = subs.iter().map(|(s, _)| *s).collect();
                assert_eq!(order, v.sub_variables(), "{}", v.code());
            }
        }
    }
}

#[test]
fn parses_the_compact_form_in_any_case() {
    assert_eq!(
        Letters::parse("aabbaaaaaa").unwrap(),
        Letters::parse("AABBAAAAAA").unwrap()
    );
    assert_eq!(
        Letters::parse("AaBbAaAaAa").unwrap().to_string(),
        "AABBAAAAAA"
    );
    let l = Letters::parse("CBAAAAAAAC").unwrap();
    assert_eq!(l.get(Variable::Coherence), Some(Letter::C));
    assert_eq!(l.get(Variable::Orientation), Some(Letter::B));
    assert_eq!(l.get(Variable::CommunicationADistance), Some(Letter::C));
    assert_eq!(l.get(Variable::Gestion), None);
}

#[test]
fn refuses_anything_but_ten_letters_a_b_c_with_a_french_message_on_variables() {
    let cases = [
        ("", "Saisissez les 10 modalités AGGIR"),
        ("   ", "Saisissez les 10 modalités AGGIR"),
        ("AABBAAAAA", "10 lettres attendues"),
        ("AABBAAAAAAA", "11 reçues"),
        ("A", "1 reçue."),
        ("AABDAAAAAA", "« D » en position 4 (habillage)"),
        ("AAB AAAAAA", "Un espace en position 4 (habillage)"),
        (
            "AA\u{7}BAAAAAA",
            "Un caractère invisible en position 3 (toilette)",
        ),
        ("ÉABBAAAAAA", "« É » en position 1 (cohérence)"),
        (
            "AABBAAAAAA1",
            "« 1 » en position 11 n'est pas une modalité AGGIR",
        ),
        ("1,2,3", "« 1 » en position 1"),
    ];
    for (input, expected) in cases {
        let e = Letters::parse(input).unwrap_err();
        assert_eq!(e.field, "variables", "{input:?}");
        assert!(e.message.contains(expected), "{input:?}: {}", e.message);
    }
    assert!(
        Letters::parse("AABDAAAAAA")
            .unwrap_err()
            .message
            .contains("seules les lettres A, B et C sont admises")
    );
}

// ---------------------------------------------------------------------------------------------
// Explanation and changes
// ---------------------------------------------------------------------------------------------

#[test]
fn the_explanation_of_aabbaaaaaa_names_group_h_score_threshold_rang_and_gir() {
    let a = Letters::parse("AABBAAAAAA").unwrap().assess();
    let d = &a.explanation.decision;
    assert_eq!(
        (d.group, d.score, d.threshold, d.rang, d.gir),
        (Group::H, 4000, Some(4000), 11, 4)
    );
    assert_eq!(
        d.text,
        "Décision : groupe H, score 4000 ≥ seuil 4000 → rang 11 → GIR 4 (annexe 2-2, passage des \
         rangs aux groupes : rangs 10, 11 → GIR 4)."
    );
    assert_eq!(a.explanation.groups.len(), 8);
    let first = &a.explanation.groups[0];
    assert_eq!(first.trial.group, Group::A);
    assert_eq!(first.trial.score, 32);
    assert_eq!(first.trial.met, None);
    assert_eq!(
        first.text,
        "Groupe A : score 32 (Toilette B : 16 ; Habillage B : 16) ; seuils ≥ 4380 → rang 1 ; \
         ≥ 4140 → rang 2 ; ≥ 3390 → rang 3 ; 32 < 3390 : non atteint, on passe au groupe B."
    );
    let d_group = &a.explanation.groups[3];
    assert!(
        d_group
            .text
            .contains("aucune variable ne compte dans ce groupe"),
        "{}",
        d_group.text
    );
    let h = &a.explanation.groups[7];
    assert_eq!(
        h.text,
        "Groupe H : score 4000 (Toilette B : 2000 ; Habillage B : 2000) ; seuils ≥ 4000 → rang 11 ; \
         ≥ 2000 → rang 12 ; sinon rang 13 ; 4000 ≥ 4000 : atteint, rang 11."
    );
    assert_eq!(a.explanation.variables.len(), 10);
    assert_eq!(
        a.explanation.variables[2].reason,
        "B : modalité saisie directement (forme compacte)."
    );

    let lines = a.explanation.lines();
    assert_eq!(lines[0], "Variables discriminantes :");
    assert!(
        lines.contains(
            &"  Toilette : B : modalité saisie directement (forme compacte).".to_string()
        )
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  Communication à distance : A")
                && l.contains("Sans effet sur le GIR"))
    );
    assert!(lines.contains(&"Groupes testés (CASF annexe 2-2) :".to_string()));
    assert_eq!(lines.last().unwrap(), &d.text);
}

#[test]
fn rang_13_explains_the_lowest_threshold_not_met() {
    let a = Letters::parse("AAAAAAAAAA").unwrap().assess();
    assert_eq!(a.explanation.decision.threshold, None);
    assert!(
        a.explanation
            .decision
            .text
            .starts_with("Décision : groupe H, score 0 < 2000 → rang 13 → GIR 6 (annexe 2-2, passage des rangs aux groupes : rang 13 → GIR 6)"),
        "{}",
        a.explanation.decision.text
    );
    assert!(
        a.explanation.groups[7]
            .text
            .ends_with("0 < 2000 : rang 13.")
    );
}

#[test]
fn the_explanation_of_a_full_evaluation_lists_illustrative_variables_after() {
    let lines = care_link().compute().explanation.lines();
    let i = lines
        .iter()
        .position(|l| l == "Variables illustratives (sans effet sur le GIR) :")
        .unwrap();
    assert!(lines[i + 1].starts_with("  Gestion : A : fait seul(e)"));
    assert!(lines.contains(&"    Toilette du bas : C : aucun des quatre adverbes n'est acquis (ni spontanément, ni totalement, ni correctement, ni habituellement).".to_string()));
}

#[test]
fn changes_name_the_variables_that_changed_and_the_old_and_new_gir() {
    let before = Letters::parse("AABBAAAAAA").unwrap().assess();
    let after = Letters::parse("AACCAAAAAC").unwrap().assess();
    let c = aggir::changes(&before, &after);
    assert_eq!((c.gir_before, c.gir_after), (4, 3));
    assert_eq!((c.rang_before, c.rang_after), (11, 9));
    assert!(c.gir_changed());
    let changed: Vec<(Variable, Letter, Letter)> = c
        .variables
        .iter()
        .map(|x| (x.variable, x.before, x.after))
        .collect();
    assert_eq!(
        changed,
        vec![
            (Variable::Toilette, Letter::B, Letter::C),
            (Variable::Habillage, Letter::B, Letter::C),
            (Variable::CommunicationADistance, Letter::A, Letter::C),
        ]
    );
    assert_eq!(
        c.lines(),
        vec![
            "GIR 4 → GIR 3 : perte d'autonomie plus importante (rang 11 → 9).",
            "Toilette : B → C (aggravation).",
            "Habillage : B → C (aggravation).",
            "Communication à distance : A → C (aggravation ; sans effet sur le GIR).",
        ]
    );

    let back = aggir::changes(&after, &before);
    assert_eq!(
        back.lines()[0],
        "GIR 3 → GIR 4 : autonomie plus grande (rang 9 → 11)."
    );
    assert_eq!(back.lines()[1], "Toilette : C → B (amélioration).");

    let same = aggir::changes(&before, &before);
    assert!(!same.gir_changed());
    assert_eq!(
        same.lines(),
        vec![
            "GIR inchangé : 4 (rang 11).",
            "Aucune variable n'a changé de modalité."
        ]
    );

    let g10 = Letters::parse("BBBBBBAAAA").unwrap().assess();
    assert_eq!(
        aggir::changes(&before, &g10).lines()[0],
        "GIR inchangé : 4 (rang 11 → 10)."
    );
}

#[test]
fn changes_between_full_evaluations_include_illustrative_variables() {
    let before = autonomous();
    let mut after = autonomous();
    after.menage = NO;
    let c = aggir::changes(&before.compute(), &after.compute());
    assert_eq!(
        c.lines(),
        vec![
            "GIR inchangé : 6 (rang 13).",
            "Ménage : A → C (aggravation ; variable illustrative, sans effet sur le GIR).",
        ]
    );
    // Compared with a compact entry, illustrative variables are unknown on one side: not listed.
    let compact = Letters::parse("AAAAAAAAAA").unwrap().assess();
    assert!(
        aggir::changes(&compact, &after.compute())
            .variables
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// Grid and GMP
// ---------------------------------------------------------------------------------------------

#[test]
fn the_grid_has_10_discriminant_and_7_illustrative_variables_with_codes_and_labels() {
    assert_eq!(Variable::ALL.len(), 17);
    assert!(Variable::DISCRIMINANT.iter().all(|v| v.is_discriminant()));
    assert!(Variable::ILLUSTRATIVE.iter().all(|v| !v.is_discriminant()));
    let mut codes = std::collections::HashSet::new();
    for v in Variable::ALL {
        assert!(v.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        assert!(codes.insert(v.code()));
        assert!(!v.label_fr().is_empty() && !v.definition_fr().is_empty());
    }
    for s in SubVariable::ALL {
        assert!(s.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        assert!(codes.insert(s.code()));
        assert!(s.code().ends_with(s.key()));
        assert!(!s.label_fr().is_empty() && !s.definition_fr().is_empty());
    }
    assert_eq!(Variable::Alimentation.label_fr(), "Alimentation");
    assert_eq!(Variable::Elimination.label_fr(), "Élimination");
    assert_eq!(
        Variable::CommunicationADistance.code(),
        "communication_a_distance"
    );
    assert_eq!(
        Variable::Habillage
            .sub_variables()
            .iter()
            .map(|s| s.key())
            .collect::<Vec<_>>(),
        vec!["haut", "moyen", "bas"]
    );
    assert_eq!(SubVariable::Manger.variable(), Variable::Alimentation);
}

#[test]
fn the_rang_table_covers_1_to_13() {
    let girs: Vec<u8> = (1..=13).map(|r| aggir::gir_of_rang(r).unwrap()).collect();
    assert_eq!(girs, (1..=13).map(reference_gir).collect::<Vec<_>>());
    assert_eq!(aggir::gir_of_rang(0), None);
    assert_eq!(aggir::gir_of_rang(14), None);
}

#[test]
fn gmp_is_the_mean_of_gir_points() {
    assert_eq!(aggir::gir_points(1), Some(1000));
    assert_eq!(aggir::gir_points(6), Some(70));
    assert_eq!(aggir::gir_points(7), None);
    assert_eq!(aggir::gmp(&[]), None);
    assert_eq!(aggir::gmp(&[1, 0]), None);
    assert_eq!(aggir::gmp(&[4]), Some(420.0));
    assert_eq!(aggir::gmp(&[1, 2, 3, 4, 5, 6]), Some(3240.0 / 6.0));
    assert_eq!(aggir::gmp(&[2, 2, 6]), Some((840.0 + 840.0 + 70.0) / 3.0));
}
