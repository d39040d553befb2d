#!/usr/bin/env python3
"""Writes the MIME corpus (src/main/resources/dev/imapsync/testing/mime/*.eml), byte for byte.

Run from imap-sync-testing: python3 tools/make-mime-corpus.py. The messages are of our own making
and cover what real mail does (charsets, transfer encodings, nesting, file names, calendar, S/MIME
and PGP, quoted replies, broken structures); MimeCorpus lists and loads them. Deterministic: the
same files on every run, so a diff shows what changed.
"""
import base64
from email.header import Header
import os
import quopri
import random

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "main", "resources", "dev", "imapsync", "testing", "mime")
CRLF = b"\r\n"

DE = ("Hallo Anna,\n\nvielen Dank für das Angebot. Die Preise für Größe XL sind in Ordnung; wir bestellen "
      "nächste Woche 40 Stück, Lieferung bitte nach Düsseldorf.\n\nViele Grüße\nJürgen Weiß")
FR = ("Bonjour Élodie,\n\nMerci pour votre réponse rapide. Nous serons ravis de vous rencontrer à Besançon "
      "jeudi prochain ; le café est à deux pas de la gare.\n\nCordialement,\nFrançois")
PL = ("Dzień dobry Panie Łukaszu,\n\nprzesyłam zamówienie na przyszły tydzień. Proszę o potwierdzenie "
      "terminu dostawy do Łodzi.\n\nPozdrawiam\nZofia Żółć")
RU = ("Здравствуйте, Ирина!\n\nСпасибо за письмо. Договор подпишем в пятницу, а счёт отправим сразу "
      "после этого.\n\nС уважением,\nДмитрий")
JA = ("山田様\n\nいつもお世話になっております。来週の打ち合わせの件、火曜日の午後三時でいかがでしょうか。"
      "資料は事前にお送りします。\n\n佐藤")
ZH = ("王经理，您好！\n\n附件是我们下个季度的报价单，请查收。如有任何问题，请随时与我联系。\n\n李明")
CS = ("Dobrý den, pane Dvořáku,\n\nděkujeme za objednávku. Zboží odešleme v úterý, fakturu přiložíme "
      "k zásilce.\n\nS pozdravem\nJiří Čermák")
KO = "김 부장님께,\n\n다음 주 회의 일정을 확인해 주시기 바랍니다. 자료는 미리 보내 드리겠습니다.\n\n이민수"
EURO = ("Bonjour,\n\nLe devis s'élève à 1 250 € HT, livraison comprise. L'œuvre sera livrée à Šibenik "
        "fin janvier.\n\nBien à vous,\nZoë")
SMART = ("Hi Tom,\n\n“Thanks” for the call – the figures look right… I’ll send the €1,200 invoice "
         "tomorrow.\n\nBest,\nMaría")
LONG = " ".join(["Paragraph %d of the quarterly report: revenue grew in every region, costs stayed flat, "
                 "and the team shipped the new onboarding flow ahead of schedule." % i for i in range(1, 80)])


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def qp(data):
    return quopri.encodestring(data).replace(b"\r\n", b"\n").replace(b"\n", CRLF)


def b64(data):
    return base64.encodebytes(data).replace(b"\n", CRLF)


def part(headers, body):
    """A part: headers as (name, value) pairs, body as bytes (CRLF already)."""
    head = b"".join(("%s: %s" % (n, v)).encode("utf-8") + CRLF for n, v in headers)
    return head + CRLF + body


def text(subtype, content, charset, cte, extra=None, params=""):
    raw = content.encode(charset) if isinstance(content, str) else content
    if cte == "quoted-printable":
        body = qp(crlf_bytes(raw))
    elif cte == "base64":
        body = b64(crlf_bytes(raw))
    else:
        body = crlf_bytes(raw)
    headers = [("Content-Type", "text/%s; charset=%s%s" % (subtype, charset, params)),
               ("Content-Transfer-Encoding", cte)] + (extra or [])
    return headers, body


def crlf_bytes(raw):
    return raw.replace(b"\r\n", b"\n").replace(b"\n", CRLF)


def multipart(subtype, parts, boundary, extra=None, params=""):
    body = b"This is a multi-part message in MIME format." + CRLF
    for h, b in parts:
        body += b"--" + boundary.encode() + CRLF + part(h, b)
        if not b.endswith(CRLF):
            body += CRLF
    body += b"--" + boundary.encode() + b"--" + CRLF
    return [("Content-Type", 'multipart/%s; boundary="%s"%s' % (subtype, boundary, params))] + (extra or []), body


def attachment(mime, name, data, disposition="attachment", extra=None, name_param=True, cid=None):
    headers = [("Content-Type", mime + ('; name="%s"' % name if name_param and name else "")),
               ("Content-Transfer-Encoding", "base64")]
    if disposition:
        headers.append(("Content-Disposition", disposition + ('; filename="%s"' % name if name else "")))
    if cid:
        headers.append(("Content-ID", "<%s>" % cid))
    return headers + (extra or []), b64(data)


def html(inner, title="Message"):
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title>"
            "<style>p { color: #333; } .x { display: none }</style>"
            "<script>var tracking = 'do not show';</script></head><body>%s</body></html>" % (title, inner))


def paragraphs(content):
    return "".join("<p>%s</p>\n" % p.replace("\n", "<br>\n")
                   .replace("&", "&amp;").replace("&amp;lt;", "&lt;") for p in content.split("\n\n"))


def message(name, subject, headers_body, sender='"Anna Schmidt" <anna@example.com>', extra=None):
    headers, body = headers_body
    top = [("From", sender), ("To", "owner@acme.example"), ("Subject", Header(subject, "utf-8").encode()),
           ("Date", "Mon, 07 Dec 2026 10:00:00 +0000"), ("Message-ID", "<%s@corpus.example>" % name),
           ("MIME-Version", "1.0")] + (extra or [])
    data = part(top + headers, body)
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(data)


def pdf(seed, size=2000):
    rnd = random.Random(seed)
    return b"%PDF-1.4\n" + bytes(rnd.randrange(256) for _ in range(size))


def png(seed, size=600):
    rnd = random.Random(seed)
    return b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(256) for _ in range(size))


def alternative(plain, charset, cte, boundary, html_inner=None):
    return multipart("alternative", [text("plain", plain, charset, cte),
                                     text("html", html(html_inner or paragraphs(plain)), charset, cte)], boundary)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".eml"):
            os.remove(os.path.join(OUT, f))

    # ---- charsets, single part
    message("charset-iso-8859-1-qp", "Angebot", text("plain", DE, "ISO-8859-1", "quoted-printable"))
    message("charset-iso-8859-2-8bit", "Zamówienie", text("plain", PL, "iso-8859-2", "8bit"))
    message("charset-iso-8859-15-base64", "Devis", text("plain", EURO, "ISO-8859-15", "base64"))
    message("charset-windows-1250-qp", "Objednávka", text("plain", CS, "windows-1250", "quoted-printable"))
    message("charset-windows-1251-base64", "Договор", text("plain", RU, "windows-1251", "base64"))
    message("charset-windows-1252-qp", "Invoice", text("plain", SMART, "windows-1252", "quoted-printable"))
    message("charset-shift-jis-base64", "打ち合わせ", text("plain", JA, "Shift_JIS", "base64"))
    message("charset-iso-2022-jp-7bit", "打ち合わせ", text("plain", JA, "ISO-2022-JP", "7bit"))
    message("charset-gb18030-base64", "报价单", text("plain", ZH, "GB18030", "base64"))
    message("charset-ks-c-5601-1987-base64", "회의", ([("Content-Type", "text/plain; charset=ks_c_5601-1987"),
                                                     ("Content-Transfer-Encoding", "base64")],
                                                    b64(crlf_bytes(KO.encode("cp949")))))
    message("charset-alias-utf8-latin1", "Aliases", multipart("mixed", [
        ([("Content-Type", "text/plain; charset=utf8"), ("Content-Transfer-Encoding", "8bit")],
         crlf_bytes(FR.encode("utf-8"))),
        ([("Content-Type", "text/plain; charset=latin1; name=\"notes.txt\""),
          ("Content-Disposition", "attachment; filename=\"notes.txt\""), ("Content-Transfer-Encoding", "8bit")],
         crlf_bytes(DE.encode("latin-1")))], "alias-1"))
    message("charset-unknown", "Unknown charset", text("plain", b"Hello in a charset nobody knows.", "x-klingon-8",
                                                      "7bit"))
    message("charset-absent-8bit-utf8", "No charset", ([("Content-Type", "text/plain"),
                                                        ("Content-Transfer-Encoding", "8bit")],
                                                       crlf_bytes(DE.encode("utf-8"))))

    # ---- UTF-8 in the demo's languages, multipart/alternative
    for lang, content, cte in [("german", DE, "quoted-printable"), ("french", FR, "quoted-printable"),
                               ("polish", PL, "base64"), ("russian", RU, "base64"), ("japanese", JA, "base64"),
                               ("chinese", ZH, "8bit")]:
        message("utf8-" + lang, "UTF-8 " + lang, alternative(content, "UTF-8", cte, "alt-" + lang))

    # ---- nesting: alternative inside mixed inside related, and the usual mixed > related > alternative
    message("nested-related-mixed-alternative", "Nested", multipart("related", [
        multipart("mixed", [
            alternative("The nested plain text wins over its HTML twin.\n\nRegards,\nAnna", "utf-8",
                        "quoted-printable", "nest-alt"),
            attachment("application/pdf", "Quote 2027.pdf", pdf(1))], "nest-mixed"),
        attachment("image/png", None, png(2), disposition=None, cid="logo@corpus.example")],
        "nest-related", params='; type="multipart/mixed"'))
    message("nested-mixed-related-alternative", "Newsletter with logo", multipart("mixed", [
        multipart("related", [
            alternative("Our December news: the new warehouse in Lyon is open.\n\nSee you soon!", "utf-8",
                        "quoted-printable", "nr-alt",
                        html_inner="<p>Our December news: the <b>new warehouse</b> in Lyon is open.</p>"
                                   "<p><img src=\"cid:logo@corpus.example\" alt=\"logo\">See you soon!</p>"),
            attachment("image/png", "logo.png", png(3), disposition="inline", cid="logo@corpus.example")],
            "nr-related", params='; type="multipart/alternative"'),
        attachment("application/pdf", "news.pdf", pdf(4))], "nr-mixed"))
    message("html-only", "HTML only", text("html", html(
        "<div dir=\"ltr\"><h1>Price list &amp; terms</h1><p>Dear customer,</p>"
        "<p>the new prices apply from <strong>1&nbsp;January</strong> &ndash; see the table below.</p>"
        "<table><tr><td>Widget</td><td>12 &euro;</td></tr></table>"
        "<img src=\"https://tracker.example/pixel.gif\" width=1 height=1></div>"), "utf-8", "quoted-printable"))
    message("html-only-in-related", "HTML with inline image", multipart("related", [
        text("html", html("<p>Please find our floor plan below.</p><img src=\"cid:plan@corpus.example\">"),
             "utf-8", "7bit"),
        attachment("image/png", None, png(5), disposition=None, cid="plan@corpus.example")], "rel-1"))
    message("empty-plain-beside-html", "Empty plain", multipart("alternative", [
        text("plain", "", "utf-8", "7bit"),
        text("html", html("<p>Only the HTML says something here.</p>"), "utf-8", "7bit")], "empty-alt"))

    # ---- forwarded messages
    inner = part([("From", "Bob <bob@example.org>"), ("To", "anna@example.com"), ("Subject", "Delivery dates"),
                  ("Date", "Fri, 04 Dec 2026 09:00:00 +0000"), ("MIME-Version", "1.0")] +
                 alternative("The delivery is planned for the 14th, by truck.", "utf-8", "7bit", "fw-alt")[0],
                 alternative("The delivery is planned for the 14th, by truck.", "utf-8", "7bit", "fw-alt")[1])
    message("forwarded-with-note", "Fwd: Delivery dates", multipart("mixed", [
        text("plain", "See Bob's message below, can you confirm?\n\nAnna", "utf-8", "7bit"),
        ([("Content-Type", "message/rfc822"), ("Content-Disposition", "inline")], inner)], "fw-mixed"))
    message("forwarded-only", "Fwd: Delivery dates", multipart("mixed", [
        ([("Content-Type", 'message/rfc822; name="Delivery dates.eml"'),
          ("Content-Disposition", 'attachment; filename="Delivery dates.eml"')], inner)], "fwo-mixed"))

    # ---- file names: RFC 2231 (with continuations) and RFC 2047
    message("filename-rfc2231", "Names", multipart("mixed", [
        text("plain", "Three files with names in three ways.", "utf-8", "7bit"),
        ([("Content-Type", "application/pdf; name*=UTF-8''R%C3%A9sum%C3%A9%20%E2%82%AC.pdf"),
          ("Content-Disposition", "attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%82%AC.pdf"),
          ("Content-Transfer-Encoding", "base64")], b64(pdf(6))),
        ([("Content-Type", "application/vnd.ms-excel"),
          ("Content-Disposition", "attachment;\r\n filename*0*=ISO-8859-1'de'Jahres%FCbersicht%20;\r\n"
                                  " filename*1*=f%FCr%20M%FCnchen;\r\n filename*2=\".xls\""),
          ("Content-Transfer-Encoding", "base64")], b64(pdf(7))),
        ([("Content-Type", "text/plain; charset=us-ascii"),
          ("Content-Disposition", "attachment;\r\n filename*0=\"a-very-long-file-name-that-mailers-\";\r\n"
                                  " filename*1=\"split-in-two.txt\""),
          ("Content-Transfer-Encoding", "7bit")], b"plain attachment" + CRLF)], "names-2231"))
    message("filename-rfc2047", "Names 2047", multipart("mixed", [
        text("plain", "Files named with encoded words, as Outlook and Gmail do.", "utf-8", "7bit"),
        ([("Content-Type", 'application/pdf; name="=?UTF-8?B?0J/RgNCw0LnRgS3Qu9C40YHRgi5wZGY=?="'),
          ("Content-Disposition", 'attachment; filename="=?UTF-8?B?0J/RgNCw0LnRgS3Qu9C40YHRgi5wZGY=?="'),
          ("Content-Transfer-Encoding", "base64")], b64(pdf(8))),
        ([("Content-Type", 'image/jpeg; name="=?iso-8859-1?Q?Gr=FC=DFe_aus_K=F6ln.jpg?="'),
          ("Content-Transfer-Encoding", "base64")], b64(png(9)))], "names-2047"))

    # ---- calendar invitation (Outlook's shape)
    ics = crlf("BEGIN:VCALENDAR\nMETHOD:REQUEST\nPRODID:corpus\nVERSION:2.0\nBEGIN:VEVENT\n"
               "UID:meeting-1@corpus.example\nDTSTART:20261210T140000Z\nDTEND:20261210T150000Z\n"
               "SUMMARY:Quarterly review\nEND:VEVENT\nEND:VCALENDAR\n").encode()
    message("calendar-request", "Invitation: Quarterly review", multipart("mixed", [
        multipart("alternative", [
            text("plain", "You are invited to the quarterly review on 10 December at 14:00.", "utf-8", "7bit"),
            text("html", html("<p>You are invited to the <b>quarterly review</b> on 10 December at 14:00.</p>"),
                 "utf-8", "7bit"),
            ([("Content-Type", "text/calendar; charset=utf-8; method=REQUEST"),
              ("Content-Transfer-Encoding", "7bit")], ics)], "cal-alt"),
        ([("Content-Type", 'application/ics; name="invite.ics"'),
          ("Content-Disposition", 'attachment; filename="invite.ics"'), ("Content-Transfer-Encoding", "base64")],
         b64(ics))], "cal-mixed"))
    message("calendar-reply", "Accepted: Quarterly review", ([("Content-Type", "text/calendar; method=reply; "
                                                                "charset=UTF-8"),
                                                               ("Content-Transfer-Encoding", "7bit")],
                                                              ics.replace(b"REQUEST", b"REPLY")))

    # ---- S/MIME and PGP
    message("smime-signed", "Signed contract", multipart("signed", [
        text("plain", "The signed contract is attached; please countersign by Friday.", "utf-8", "7bit"),
        ([("Content-Type", 'application/pkcs7-signature; name="smime.p7s"'),
          ("Content-Transfer-Encoding", "base64"), ("Content-Disposition", 'attachment; filename="smime.p7s"')],
         b64(pdf(10, 800)))], "smime-signed",
        params='; protocol="application/pkcs7-signature"; micalg=sha-256'))
    message("smime-encrypted", "Encrypted", ([("Content-Type", 'application/pkcs7-mime; smime-type=enveloped-data;'
                                                               ' name="smime.p7m"'),
                                              ("Content-Disposition", 'attachment; filename="smime.p7m"'),
                                              ("Content-Transfer-Encoding", "base64")], b64(pdf(11, 1500))))
    message("smime-opaque-signed", "Opaque signed", ([("Content-Type", 'application/x-pkcs7-mime; '
                                                                       'smime-type=signed-data; name="smime.p7m"'),
                                                      ("Content-Transfer-Encoding", "base64")], b64(pdf(12, 900))))
    armoured = crlf("-----BEGIN PGP MESSAGE-----\n\nhQEMA0xyz" + "ABCDEFGH" * 20 + "\n=abcd\n"
                    "-----END PGP MESSAGE-----\n").encode()
    message("pgp-mime-encrypted", "PGP encrypted", multipart("encrypted", [
        ([("Content-Type", "application/pgp-encrypted"), ("Content-Description", "PGP/MIME version identification")],
         b"Version: 1" + CRLF),
        ([("Content-Type", 'application/octet-stream; name="encrypted.asc"'),
          ("Content-Disposition", 'inline; filename="encrypted.asc"')], armoured)], "pgp-enc",
        params='; protocol="application/pgp-encrypted"'))
    message("pgp-mime-signed", "PGP signed", multipart("signed", [
        multipart("mixed", [
            text("plain", "Release notes for 2.4 are attached, signed as usual.", "utf-8", "quoted-printable"),
            attachment("text/markdown", "NOTES.md", b"# 2.4\n- faster sync\n")], "pgp-signed-inner"),
        ([("Content-Type", 'application/pgp-signature; name="signature.asc"'),
          ("Content-Disposition", 'attachment; filename="signature.asc"')],
         crlf("-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n=wxyz\n-----END PGP SIGNATURE-----\n").encode())],
        "pgp-signed", params='; protocol="application/pgp-signature"; micalg=pgp-sha256'))
    message("pgp-inline-encrypted", "PGP inline", text("plain", armoured.decode(), "us-ascii", "7bit"))
    message("pgp-inline-signed", "PGP clearsigned", text("plain", (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nThe keys for the build server rotate on Monday.\n"
        "- -- \nops team\n-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n=wxyz\n-----END PGP SIGNATURE-----\n"),
        "us-ascii", "7bit"))

    # ---- format=flowed
    message("flowed-delsp", "Flowed", text("plain", (
        "This paragraph was written as one long line and the mailer wrapped it at seventy-two characters "
        "as RFC 3676 says, so the lines end in a space and flow together again.\n"
        .replace("seventy-two characters ", "seventy-two \ncharacters ").replace("again.", "again.")
        + "\nSecond paragraph.\n\n> quoted and flowed \n> text\n"), "utf-8", "7bit", params="; format=flowed"))
    message("flowed-delsp-yes", "Flowed DelSp", text("plain", (
        "Japanese mail uses DelSp=yes so that lines join with\u0020\nout a space: 日本語の文章は\u0020\n"
        "空白なしでつながります。\n"), "utf-8", "8bit", params="; format=flowed; delsp=yes"))

    # ---- replies
    message("reply-outlook", "RE: Offer", multipart("alternative", [
        text("plain", ("Hi Anna,\n\nyes, Thursday works for us.\n\nKind regards\nTom\n\n"
                       "-----Original Message-----\nFrom: Anna Schmidt <anna@example.com>\nSent: Monday, "
                       "December 7, 2026 9:00 AM\nTo: Tom <tom@example.net>\nSubject: Offer\n\n"
                       "Can we meet on Thursday?\n"), "utf-8", "quoted-printable"),
        text("html", html("<div>Hi Anna,</div><div><br></div><div>yes, Thursday works for us.</div>"
                          "<div><br></div><div>Kind regards<br>Tom</div><hr>"
                          "<div id=\"divRplyFwdMsg\"><b>From:</b> Anna Schmidt &lt;anna@example.com&gt;<br>"
                          "<b>Sent:</b> Monday, December 7, 2026 9:00 AM<br><b>To:</b> Tom<br>"
                          "<b>Subject:</b> Offer</div><div>Can we meet on Thursday?</div>"), "utf-8",
             "quoted-printable")], "reply-ol"), sender="Tom <tom@example.net>")
    message("reply-outlook-from-sent", "RE: Offer", text("plain", (
        "Sounds good, I will prepare the slides.\n\n________________________________\n"
        "From: Anna Schmidt <anna@example.com>\nSent: Monday, December 7, 2026 9:00 AM\nTo: Tom\n"
        "Subject: Offer\n\nCan we meet on Thursday?\n"), "utf-8", "7bit"), sender="Tom <tom@example.net>")
    message("reply-gmail", "Re: Offer", multipart("alternative", [
        text("plain", ("Thanks, see you on Thursday!\n\nOn Mon, Dec 7, 2026 at 10:00 AM Anna Schmidt <\n"
                       "anna@example.com> wrote:\n\n> Can we meet on Thursday?\n> Anna\n"), "utf-8", "7bit"),
        text("html", ("<div dir=\"ltr\">Thanks, see you on Thursday!</div><br><div class=\"gmail_quote\">"
                      "<div dir=\"ltr\" class=\"gmail_attr\">On Mon, Dec 7, 2026 at 10:00 AM Anna Schmidt &lt;"
                      "<a href=\"mailto:anna@example.com\">anna@example.com</a>&gt; wrote:<br></div>"
                      "<blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex\">Can we meet on "
                      "Thursday?<br>Anna</blockquote></div>"), "utf-8", "7bit")], "reply-gm"),
        sender="Carol <carol@example.org>")
    message("reply-html-only-gmail", "Re: Offer", text("html", (
        "<div dir=\"ltr\">Agreed &#8211; let&#39;s sign.</div><br><div class=\"gmail_quote\">"
        "<div class=\"gmail_attr\">On Mon, Dec 7, 2026 Anna wrote:</div><blockquote>Shall we sign?</blockquote>"
        "</div>"), "utf-8", "quoted-printable"), sender="Carol <carol@example.org>")
    message("reply-german", "AW: Angebot", text("plain", (
        "Hallo Anna,\n\npasst, wir nehmen das Angebot an.\n\nGruß\nJürgen\n\n"
        "Am Mo., 7. Dez. 2026 um 10:00 Uhr schrieb Anna Schmidt\n<anna@example.com>:\n> Wie ist der Stand?\n"),
        "utf-8", "quoted-printable"), sender="Jürgen <juergen@example.de>")
    message("reply-french", "RE: Devis", text("plain", (
        "Bonjour,\n\nc'est noté, merci.\n\nLe lun. 7 déc. 2026 à 10:00, Anna Schmidt <anna@example.com> a écrit :\n"
        "> Le devis vous convient-il ?\n"), "utf-8", "quoted-printable"), sender="François <f@example.fr>")
    message("reply-spanish", "RE: Pedido", text("plain", (
        "Hola Anna,\n\nconfirmamos el pedido para el lunes.\n\nEl lun, 7 dic 2026 a las 10:00, Anna Schmidt "
        "(<anna@example.com>) escribió:\n> ¿Confirmáis el pedido?\n"), "utf-8", "quoted-printable"),
        sender="María <maria@example.es>")
    message("reply-interleaved", "Re: Questions", text("plain", (
        "On Mon, Dec 7, 2026 at 10:00 AM Anna <anna@example.com> wrote:\n> Do you ship to Austria?\n\n"
        "Yes, within three days.\n\n> And to Switzerland?\n\nOnly by post.\n"), "utf-8", "7bit"))
    message("signature-and-mobile", "Quick note", text("plain", (
        "Running late, start without me.\n\nSent from my iPhone\n\n-- \nTom Baker\nSales, ACME\n+1 555 0100\n"),
        "utf-8", "7bit"), sender="Tom <tom@example.net>")
    message("long-text", "Quarterly report", text("plain", LONG, "utf-8", "quoted-printable"))

    # ---- what mail programs and servers add around the text
    message("apple-mail-inline-image", "Photo from the site", multipart("mixed", [
        text("plain", "Here is the wall before painting:", "us-ascii", "7bit"),
        attachment("image/jpeg", "IMG_0001.jpg", png(14, 900), disposition="inline", cid="A1B2C3@apple.example"),
        text("plain", "\nand after. Looks good, doesn't it?", "us-ascii", "7bit")], "Apple-Mail=_1"),
        sender="Ben <ben@example.net>")
    message("mailing-list-footer", "[team] Release on Friday", multipart("mixed", [
        text("plain", "The release moves to Friday; the freeze starts Wednesday noon.", "utf-8", "quoted-printable"),
        text("plain", "_______________________________________________\nteam mailing list\n"
                      "https://lists.example.org/team\n", "us-ascii", "7bit",
             extra=[("Content-Disposition", "inline")])], "list-footer"), sender="Dana <dana@example.org>")
    dsn_original = part([("From", "owner@acme.example"), ("To", "nobody@nowhere.example"), ("Subject", "Offer"),
                         ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=us-ascii")],
                        b"Our offer, as promised." + CRLF)
    message("bounce-dsn", "Undelivered Mail Returned to Sender", multipart("report", [
        text("plain", "This is the mail system at host mx.example.\n\nI'm sorry to have to inform you that your "
                      "message could not be delivered to one or more recipients.", "us-ascii", "7bit"),
        ([("Content-Type", "message/delivery-status")],
         crlf("Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; nobody@nowhere.example\n"
              "Action: failed\nStatus: 5.1.1\n").encode()),
        ([("Content-Type", "message/rfc822")], dsn_original)], "dsn-1",
        params='; report-type=delivery-status'), sender="MAILER-DAEMON@mx.example (Mail Delivery System)")

    # ---- broken structures
    message("broken-missing-boundary", "Broken", ([("Content-Type", "multipart/mixed")],
                                                 crlf_bytes(b"There is no boundary parameter, so this is all one "
                                                            b"part.\n")))
    trunc_headers, trunc_body = multipart("mixed", [
        text("plain", "The start of a message whose end was lost.", "utf-8", "7bit"),
        attachment("application/pdf", "lost.pdf", pdf(13, 3000))], "trunc")
    message("broken-truncated", "Truncated", (trunc_headers, trunc_body[:len(trunc_body) // 2]))
    message("broken-bad-base64", "Bad base64", ([("Content-Type", "text/plain; charset=utf-8"),
                                                 ("Content-Transfer-Encoding", "base64")],
                                                b64(DE.encode("utf-8"))[:-7] + b"!!*" + CRLF))
    names = sorted(f[:-4] for f in os.listdir(OUT) if f.endswith(".eml"))
    with open(os.path.join(OUT, "index.txt"), "w") as f:
        f.write("# the corpus messages, one name a line (file name without .eml); written by tools/make-mime-corpus.py\n")
        f.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main()
