"""core.i18n.Phrase: a sentence made before the language is known is its English as a str and is shown in either
language; the palette's reverse lookup; an empty message stays empty."""

from __future__ import annotations

import json

from kojan_tui.core.i18n import N_, Phrase, english_of, say, tr


def test_a_phrase_is_its_english_and_says_itself_in_japanese() -> None:
    reasons = (Phrase(N_("0 of {desired} tasks running"), desired=2), Phrase(N_("0 healthy targets")))
    phrase = Phrase(N_("every request is failing: {causes}"), causes=reasons)
    assert phrase == "every request is failing: 0 of 2 tasks running; 0 healthy targets"
    assert json.dumps({"text": phrase}) == '{"text": "every request is failing: 0 of 2 tasks running; 0 healthy targets"}'
    assert say(phrase, "ja") == "すべてのリクエストが失敗: タスク 0/2 実行中; 正常なターゲット 0"
    assert say(phrase, "en") == phrase


def test_a_value_named_message_is_a_value_and_aws_text_is_never_translated() -> None:
    phrase = Phrase(N_("the service rolled back: {message}"), message="timeout")  # an AWS text that is also a msgid
    assert say(phrase, "ja") == "サービスがロールバックしました: timeout"


def test_plain_message_ids_translate_and_the_empty_message_stays_empty() -> None:
    assert say("check logs, debug", "ja") == "ログ確認、デバッグ"
    assert tr("", "ja") == "" and say("", "ja") == ""
    assert english_of("ログ確認、DB接続確認") == "check logs, check DB connection"
    assert english_of("not in the catalog") == "not in the catalog"
