"""The words that say what a step is for in an incident: restoring service, or work that comes
after it (validating, communicating, documenting, reviewing).

A recovery objective (RTO) ends when service is restored, so the simulator needs to tell the
step that restores it from the validation, communication and post-incident work that follows.
Documents are written in many languages, so each language is one row of word stems (matched
as substrings of lower-cased titles and agent names, the way `compiler.parse.languages` keeps
its table); adding a language is adding a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Purpose = Literal["recovery", "validation", "communication", "documentation", "post-incident"]

#: What is done after service is restored; a step whose words say one of these is not recovery
#: even when it also says "recovery" ("Recovery Validation").
AFTER_RECOVERY: tuple[Purpose, ...] = (
    "post-incident",
    "validation",
    "communication",
    "documentation",
)


@dataclass(frozen=True)
class PurposeWords:
    code: str
    recovery: tuple[str, ...] = ()
    validation: tuple[str, ...] = ()
    communication: tuple[str, ...] = ()
    documentation: tuple[str, ...] = ()
    post_incident: tuple[str, ...] = ()

    def words(self, purpose: Purpose) -> tuple[str, ...]:
        field = purpose.replace("-", "_")
        words: tuple[str, ...] = getattr(self, field)
        return words


PURPOSE_WORDS: tuple[PurposeWords, ...] = (
    PurposeWords(
        "en",
        recovery=(
            "resolution",
            "resolve",
            "recover",
            "restor",
            "remediat",
            "mitigat",
            "rollback",
            "roll back",
            "failover",
            "fail over",
            "solution",
            "implement",
            "repair",
            "hotfix",
        ),
        validation=("validat", "verif", "confirm", "smoke test"),
        communication=("communicat", "stakeholder", "notif", "announce", "status page"),
        documentation=("documentation", "documenter", "timeline", "write-up", "report"),
        post_incident=(
            "post-incident",
            "post incident",
            "postmortem",
            "post-mortem",
            "retrospective",
            "lessons learned",
            "improvement",
        ),
    ),
    PurposeWords(
        "es/pt",
        recovery=("resoluc", "resoluç", "recupera", "restaura", "restablec", "mitiga", "soluc"),
        validation=("validac", "validaç", "verifica", "confirma"),
        communication=("comunica", "notifica"),
        documentation=("documenta",),
        post_incident=("post-incidente", "pós-incidente", "retrospectiva", "lecciones"),
    ),
    PurposeWords(
        "fr",
        recovery=("résolution", "rétabliss", "restaur", "remédiation", "atténuation"),
        validation=("vérifi",),
        communication=("communication",),
        documentation=("documentation", "chronologie"),
        post_incident=("post-incident", "retour d'expérience", "rétrospective"),
    ),
    PurposeWords(
        "de",
        recovery=("wiederherstell", "behebung", "lösung", "beheben", "rollback"),
        validation=("validier", "überprüf", "bestätig"),
        communication=("kommunikation", "benachrichtig"),
        documentation=("dokumentation",),
        post_incident=("nachbetrachtung", "postmortem", "retrospektive"),
    ),
    PurposeWords(
        "ru",
        recovery=("восстановлен", "устранен", "решени"),
        validation=("проверк", "валидац"),
        communication=("коммуникац", "оповещ", "уведомл"),
        documentation=("документ",),
        post_incident=("разбор", "ретроспектив"),
    ),
    PurposeWords(
        "zh/ja",
        recovery=("恢复", "解决", "修复", "回滚", "復旧", "解決", "修正", "復元"),
        validation=("验证", "确认", "検証", "確認"),
        communication=("沟通", "通知", "通报", "連絡", "周知"),
        documentation=("文档", "记录", "文書", "記録"),
        post_incident=("复盘", "事后", "事後", "振り返り", "ポストモーテム"),
    ),
    PurposeWords(
        "ko",
        recovery=("복구", "해결", "조치"),
        validation=("검증", "확인"),
        communication=("커뮤니케이션", "공지", "알림"),
        documentation=("문서",),
        post_incident=("사후", "회고"),
    ),
)


def purpose_words(purpose: Purpose) -> tuple[str, ...]:
    """Every language's stems for `purpose`."""
    return tuple(word for row in PURPOSE_WORDS for word in row.words(purpose))


def purposes_of(text: str) -> dict[Purpose, str]:
    """The purposes `text` names, each with the first word that says so."""
    lowered = text.lower()
    found: dict[Purpose, str] = {}
    for purpose in ("recovery", *AFTER_RECOVERY):
        for word in purpose_words(purpose):
            if word in lowered:
                found[purpose] = word
                break
    return found
