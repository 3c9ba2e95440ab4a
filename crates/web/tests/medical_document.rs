//! Medical documents over HTTP, on SQLite and PostgreSQL: the doctor's multipart upload (type read
//! from the content, size limit with a French message, CSRF), the list and an aide-soignant who sees
//! no title, the download (real type, attachment, `no-store`, `nosniff`, identical bytes), the
//! other forms still limited to 64 KiB, and the JSON API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{TestApp, message};

use parcours_app::domain::ids::UsagerId;
use parcours_app::testing::identity;
use parcours_app::usager::NewUsager;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use sha2::{Digest, Sha256};

const BOUNDARY: &str = "----parcours-test-boundary-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body by hand: text fields, then the file in `fichier`.
fn multipart(fields: &[(&str, &str)], filename: &str, file: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    b.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{filename}\"\r\n\
             Content-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    b.extend_from_slice(file);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    b
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n\
      trailer<</Root 1 0 R>>\n%%EOF\n"
        .to_vec()
}

fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec()
}

fn sha(b: &[u8]) -> Vec<u8> {
    Sha256::digest(b).to_vec()
}

impl TestApp {
    async fn upload(
        &self,
        auth: (&str, &str),
        path: &str,
        body: Vec<u8>,
        extra: Option<(&str, &str)>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(self.url(path))
            .header(auth.0, auth.1)
            .header(
                CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body);
        if let Some((k, v)) = extra {
            req = req.header(k, v);
        }
        req.send().await.unwrap()
    }

    async fn resident(&self) -> UsagerId {
        let ctx = self.fx.ctx("direction").await;
        self.fx
            .app
            .create_usager(
                &ctx,
                &NewUsager {
                    identity: identity("DOCUMENTS", "Jeanne", None),
                    placement: self.fx.placement(self.fx.ehpad, self.fx.glycines),
                    local_id: String::new(),
                    confirm_not_duplicate: false,
                },
            )
            .await
            .unwrap()
    }
}

const META: &[(&str, &str)] = &[
    ("doc_type", "cr_hospitalisation"),
    ("title", "CRH cardiologie CHU de Tours"),
    ("date", "2026-11-18"),
];

async fn a_doctor_uploads_lists_and_downloads_and_an_aide_soignant_sees_no_title(t: TestApp) {
    let id = t.resident().await;
    let doc = t.web_login("medecin").await;
    let new = format!("/usagers/{id}/medical/documents/nouveau");
    let (status, form) = t.page(&doc, &new).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("multipart/form-data"));

    // A cross-site upload is refused and writes nothing.
    let resp = t
        .upload(
            ("cookie", &doc),
            &new,
            multipart(META, "crh.pdf", &pdf()),
            Some(("sec-fetch-site", "cross-site")),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);

    let resp = t
        .upload(
            ("cookie", &doc),
            &new,
            multipart(META, "crh.pdf", &pdf()),
            Some(("sec-fetch-site", "same-origin")),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(
        resp.headers()[LOCATION]
            .to_str()
            .unwrap()
            .contains("ok=document")
    );
    let (_, page) = t.page(&doc, &format!("/usagers/{id}/medical")).await;
    assert_eq!(
        page.matches("CRH cardiologie CHU de Tours").count(),
        2,
        "{page}"
    );
    assert!(
        page.contains("Compte rendu d&#39;hospitalisation")
            || page.contains("Compte rendu d'hospitalisation")
    );

    let docs =
        t.fx.app
            .medical_documents(&t.fx.ctx("medecin").await, id)
            .await
            .unwrap();
    let did = docs[0].id;
    let download = format!("/usagers/{id}/medical/documents/{did}/fichier");
    let resp = t
        .http
        .get(t.url(&download))
        .header("cookie", &doc)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let h = resp.headers().clone();
    assert_eq!(h[CONTENT_TYPE], "application/pdf");
    let disposition = h[CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains(".pdf"));
    assert_eq!(h[CACHE_CONTROL], "no-store");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(sha(&resp.bytes().await.unwrap()), sha(&pdf()));

    // The document's page shows its versions.
    let (status, detail) = t
        .page(&doc, &format!("/usagers/{id}/medical/documents/{did}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains("Version 1 (actuelle)"));

    // An aide-soignant sees that the file exists, never the title; the download is refused.
    let aes = t.web_login("as.glycines").await;
    let (status, page) = t.page(&aes, &format!("/usagers/{id}/medical")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("secret médical"));
    assert!(page.contains("documents médicaux"));
    assert!(!page.contains("CRH cardiologie"), "{page}");
    for path in [
        download.clone(),
        format!("/usagers/{id}/medical/documents/{did}"),
    ] {
        let (status, body) = t.page(&aes, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(!body.contains("CRH cardiologie"));
    }
    let resp = t
        .upload(
            ("cookie", &aes),
            &new,
            multipart(META, "crh.pdf", &pdf()),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
}

async fn uploads_are_checked_by_content_and_size_in_french(t: TestApp) {
    let id = t.resident().await;
    let doc = t.web_login("medecin").await;
    let new = format!("/usagers/{id}/medical/documents/nouveau");

    // A PNG named .pdf is filed as a PNG.
    let resp = t
        .upload(
            ("cookie", &doc),
            &new,
            multipart(META, "faux.pdf", &png()),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let ctx = t.fx.ctx("medecin").await;
    let docs = t.fx.app.medical_documents(&ctx, id).await.unwrap();
    assert_eq!(docs[0].media_type, "image/png");

    // An executable: the form again with the message on the file, the fields kept.
    let resp = t
        .upload(
            ("cookie", &doc),
            &new,
            multipart(META, "crh.pdf", b"MZ\x90\0\x03\0\0\0"),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(body.contains("ni un PDF"), "{body}");
    assert!(body.contains("aria-invalid=\"true\" aria-describedby=\"fichier-erreur"));
    assert!(body.contains("value=\"CRH cardiologie CHU de Tours\""));

    // Just over 10 MiB: the French message on the file.
    let mut big = pdf();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let resp = t
        .upload(
            ("cookie", &doc),
            &new,
            multipart(META, "gros.pdf", &big),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(body.contains("10 Mio"));
    assert_eq!(t.fx.app.medical_documents(&ctx, id).await.unwrap().len(), 1);

    // Other forms keep the 64 KiB limit.
    let did = docs[0].id;
    let long = "x".repeat(100 * 1024);
    let (status, _, _) = t
        .post_form(
            &doc,
            &format!("/usagers/{id}/medical/documents/{did}/retrait"),
            &[("reason", &long)],
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    // Withdrawal and a new version from the document's page.
    let (status, location, _) = t
        .post_form(
            &doc,
            &format!("/usagers/{id}/medical/documents/{did}"),
            &[
                ("version", "1"),
                ("doc_type", "imagerie"),
                ("title", "Radiographie"),
                ("date", "2026-11-18"),
                ("reason", "Type corrigé"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let resp = t
        .upload(
            ("cookie", &doc),
            &format!("/usagers/{id}/medical/documents/{did}/remplacement"),
            multipart(
                &[("version", "2"), ("reason", "Cliché lisible")],
                "r.png",
                &png(),
            ),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (status, _, _) = t
        .post_form(
            &doc,
            &format!("/usagers/{id}/medical/documents/{did}/retrait"),
            &[("reason", "Doublon")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, detail) = t
        .page(&doc, &format!("/usagers/{id}/medical/documents/{did}"))
        .await;
    assert!(detail.contains("Document retiré"));
    assert!(detail.contains("Version 3 (actuelle)"));
    assert!(detail.contains("fichier?version=1"));
}

async fn the_api_lists_uploads_describes_and_downloads(t: TestApp) {
    let id = t.resident().await;
    let token = t.token("medecin").await;
    let bearer = format!("Bearer {token}");
    let base = format!("/api/v1/usagers/{id}/dossier-medical/documents");
    let resp = t
        .upload(
            ("authorization", &bearer),
            &base,
            multipart(META, "crh.pdf", &pdf()),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let did = resp.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = t
        .upload(
            ("authorization", &bearer),
            &base,
            multipart(META, "x.pdf", b"MZ\x90\0"),
            None,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = resp.json().await.unwrap();
    assert!(message(&v, "fichier").contains("ni un PDF"));

    let api = format!("/usagers/{id}/dossier-medical/documents");
    let list = t.read(&token, &api).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["title"], "CRH cardiologie CHU de Tours");
    assert_eq!(list[0]["media_type"], "application/pdf");
    assert!(list[0].get("bytes").is_none());
    let one = t.read(&token, &format!("{api}/{did}")).await;
    assert_eq!(one["versions"].as_array().unwrap().len(), 1);
    let expected: String = sha(&pdf()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(one["sha256"], expected.as_str());

    let resp = t
        .http
        .get(t.url(&format!("/api/v1{api}/{did}/contenu")))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], "application/pdf");
    assert_eq!(resp.headers()["x-content-sha256"], expected.as_str());
    assert_eq!(resp.bytes().await.unwrap().to_vec(), pdf());

    t.ok(
        reqwest::Method::PUT,
        &token,
        &format!("{api}/{did}"),
        serde_json::json!({"version": 1, "doc_type": "courrier", "title": "Courrier du cardiologue",
                           "date": "2026-11-18", "reason": "Type corrigé"}),
    )
    .await;
    t.ok(
        reqwest::Method::POST,
        &token,
        &format!("{api}/{did}/retrait"),
        serde_json::json!({"reason": "Versé par erreur"}),
    )
    .await;
    let one = t.read(&token, &format!("{api}/{did}")).await;
    assert_eq!(one["version"], 2);
    assert_eq!(one["withdrawn"]["reason"], "Versé par erreur");

    // An aide-soignant: 403, no title.
    let aes = t.token("as.glycines").await;
    let (status, v) = t.get(&aes, &api).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!v.to_string().contains("cardiolog"));

    let openapi = t.read(&token, "/openapi.json").await.to_string();
    assert!(openapi.contains("/api/v1/usagers/{id}/dossier-medical/documents/{did}/contenu"));
}

both!(
    "meddoc";
    a_doctor_uploads_lists_and_downloads_and_an_aide_soignant_sees_no_title,
    uploads_are_checked_by_content_and_size_in_french,
    the_api_lists_uploads_describes_and_downloads,
);
