"""Playbooks written in other languages (DESIGN §2, "Languages").

Each `tests/fixtures/lint/clean/lang-<code>.md` is a small playbook in one language of the
multilingual table (`compiler.parse.languages`); it must compile to the structure its reader
sees: numbered phases, steps with their agents, prompts and items read from the translated
field labels, the optional step, the parallel phase, references that resolve. The table
itself is tested row by row: heading templates, field labels, numbers and prose length.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

from compiler.checks import check_document
from compiler.model import Document, ParallelBlock, Step, iter_blocks, iter_steps
from compiler.parse import parse_document, parse_text
from compiler.parse.languages import LANGUAGES, Language, arabic, prose_words
from compiler.parse.patterns import classify_heading, field_role
from compiler.source import read_source
from tests.conftest import FIXTURES

CLEAN = FIXTURES / "lint" / "clean"
ROWS = {language.code: language for language in LANGUAGES}


@dataclass(frozen=True)
class S:
    """A step as its reader sees it."""

    title: str
    agent: str
    outputs: tuple[str, ...]
    refs: tuple[str, ...] = ()  # bracketed prompt references, in order
    context: tuple[str, ...] = ()  # items of the translated "Context:" field
    inputs: tuple[str, ...] = ()  # items of the translated "Input:" field


@dataclass(frozen=True)
class Playbook:
    code: str
    phases: tuple[tuple[int, str, tuple[S, ...]], ...]
    first_prompt: str  # the first step's prompt, quotes removed
    optional: str  # id of the step marked "(if applicable)"
    parallel: int  # number of the phase titled "… in parallel"
    missing: str  # a name no step produces, in that language

    def steps(self) -> list[tuple[str, int, S]]:
        """(id, phase number, step) in document order; steps are numbered across phases."""
        found: list[tuple[str, int, S]] = []
        for number, _, steps in self.phases:
            for step in steps:
                found.append((f"phase-{number}/step-{len(found) + 1}", number, step))
        return found


PLAYBOOKS = (
    Playbook(
        "zh",
        (
            (1, "故障评估", (S("初步评估", "incident-commander", ("影响评估", "故障时间线")),)),
            (
                2,
                "并行排查",
                (
                    S("日志分析", "log-analyst", ("日志分析报告",), ("故障时间线",)),
                    S("指标分析", "performance-engineer", ("指标分析报告",), ("影响评估",)),
                ),
            ),
            (
                3,
                "修复与验证",
                (
                    S(
                        "回滚最近的发布",
                        "release-engineer",
                        ("回滚记录",),
                        ("日志分析报告",),
                        context=("故障时间线",),
                    ),
                    S(
                        "验证恢复",
                        "site-reliability-engineer",
                        ("恢复验证结果",),
                        ("指标分析报告",),
                    ),
                ),
            ),
            (
                4,
                "复盘",
                (
                    S(
                        "编写复盘报告",
                        "post-incident-analyst",
                        ("复盘报告",),
                        ("影响评估", "日志分析报告", "恢复验证结果"),
                        inputs=("故障时间线",),
                    ),
                ),
            ),
        ),
        "评估故障 $ARGUMENTS：确认受影响的服务、开始时间和用户影响范围。",
        optional="phase-3/step-4",
        parallel=2,
        missing="年度预算",
    ),
    Playbook(
        "ja",
        (
            (1, "準備", (S("変更内容の確認", "release-manager", ("変更概要", "リスク一覧")),)),
            (
                2,
                "並列テスト",
                (
                    S("回帰テスト", "test-automator", ("回帰テスト結果",), ("変更概要",)),
                    S(
                        "セキュリティ検査",
                        "security-auditor",
                        ("セキュリティ検査報告",),
                        ("リスク一覧",),
                    ),
                ),
            ),
            (
                3,
                "デプロイ",
                (
                    S(
                        "データベース移行",
                        "database-admin",
                        ("移行ログ",),
                        ("変更概要",),
                        inputs=("回帰テスト結果",),
                    ),
                    S(
                        "本番デプロイ",
                        "deployment-engineer",
                        ("デプロイ記録",),
                        ("回帰テスト結果", "セキュリティ検査報告"),
                        context=("変更概要",),
                    ),
                ),
            ),
            (
                4,
                "リリース後の確認",
                (
                    S(
                        "監視と報告",
                        "site-reliability-engineer",
                        ("リリース報告",),
                        ("デプロイ記録",),
                    ),
                ),
            ),
        ),
        "$ARGUMENTS に含まれる変更をまとめ、影響の大きい変更を洗い出してください。",
        optional="phase-3/step-4",
        parallel=2,
        missing="年間予算",
    ),
    Playbook(
        "ko",
        (
            (1, "사전 준비", (S("현황 파악", "database-admin", ("현황 보고서", "이전 계획")),)),
            (
                2,
                "병렬 검증",
                (
                    S("백업 검증", "backup-specialist", ("백업 검증 결과",), ("이전 계획",)),
                    S(
                        "스키마 호환성 검사",
                        "schema-reviewer",
                        ("호환성 검사 결과",),
                        ("현황 보고서",),
                    ),
                ),
            ),
            (
                3,
                "이전 실행",
                (
                    S(
                        "데이터 이전",
                        "migration-engineer",
                        ("이전 로그",),
                        ("백업 검증 결과", "호환성 검사 결과"),
                        context=("이전 계획",),
                    ),
                    S("캐시 재구축", "cache-specialist", ("캐시 재구축 결과",), ("이전 로그",)),
                ),
            ),
            (
                4,
                "마무리",
                (
                    S(
                        "최종 점검",
                        "site-reliability-engineer",
                        ("최종 점검 보고서",),
                        ("이전 로그",),
                        inputs=("현황 보고서",),
                    ),
                ),
            ),
        ),
        "$ARGUMENTS 의 테이블 크기, 인덱스, 복제 지연을 조사하고 이전 계획을 세우세요.",
        optional="phase-3/step-5",
        parallel=2,
        missing="연간 예산",
    ),
    Playbook(
        "es",
        (
            (
                1,
                "Evaluación inicial",
                (
                    S(
                        "Clasificar el incidente",
                        "incident-commander",
                        ("Clasificación del incidente", "Cronología"),
                    ),
                ),
            ),
            (
                2,
                "Investigación en paralelo",
                (
                    S(
                        "Revisar los registros",
                        "log-analyst",
                        ("Análisis de registros",),
                        ("cronología",),
                    ),
                    S(
                        "Revisar la base de datos",
                        "database-admin",
                        ("Diagnóstico de la base de datos",),
                        ("clasificación del incidente",),
                    ),
                ),
            ),
            (
                3,
                "Mitigación",
                (
                    S(
                        "Aplicar la corrección",
                        "backend-engineer",
                        ("Registro de cambios",),
                        ("análisis de registros", "diagnóstico de la base de datos"),
                        context=("Clasificación del incidente",),
                    ),
                    S(
                        "Avisar a los clientes",
                        "communications-lead",
                        ("Aviso a clientes",),
                        ("clasificación del incidente",),
                    ),
                ),
            ),
            (
                4,
                "Cierre",
                (
                    S(
                        "Informe posterior",
                        "post-incident-analyst",
                        ("Informe del incidente",),
                        ("cronología", "registro de cambios"),
                        inputs=("Análisis de registros",),
                    ),
                ),
            ),
        ),
        "Clasifica el incidente $ARGUMENTS: servicios afectados, hora de inicio y gravedad.",
        optional="phase-3/step-5",
        parallel=2,
        missing="presupuesto anual",
    ),
    Playbook(
        "pt",
        (
            (
                1,
                "Preparação",
                (
                    S(
                        "Revisar as mudanças",
                        "release-manager",
                        ("Resumo das mudanças", "Lista de riscos"),
                    ),
                ),
            ),
            (
                2,
                "Testes em paralelo",
                (
                    S(
                        "Testes automatizados",
                        "test-automator",
                        ("Relatório de testes",),
                        ("resumo das mudanças",),
                    ),
                    S(
                        "Revisão de segurança",
                        "security-auditor",
                        ("Relatório de segurança",),
                        ("lista de riscos",),
                    ),
                ),
            ),
            (
                3,
                "Implantação",
                (
                    S(
                        "Migração do banco de dados",
                        "database-admin",
                        ("Registro de migração",),
                        ("resumo das mudanças",),
                    ),
                    S(
                        "Implantar em produção",
                        "deployment-engineer",
                        ("Registro de implantação",),
                        ("relatório de testes", "relatório de segurança"),
                        context=("Lista de riscos",),
                    ),
                ),
            ),
            (
                4,
                "Acompanhamento",
                (
                    S(
                        "Monitorar a versão",
                        "site-reliability-engineer",
                        ("Relatório de acompanhamento",),
                        ("registro de implantação",),
                        inputs=("Relatório de testes",),
                    ),
                ),
            ),
        ),
        "Resuma as mudanças da versão $ARGUMENTS e aponte as de maior risco.",
        optional="phase-3/step-4",
        parallel=2,
        missing="orçamento anual",
    ),
    Playbook(
        "de",
        (
            (
                1,
                "Erste Einschätzung",
                (S("Vorfall bewerten", "security-lead", ("Vorfallsbewertung", "Systemliste")),),
            ),
            (
                2,
                "Parallele Untersuchung",
                (
                    S(
                        "Protokolle auswerten",
                        "forensics-analyst",
                        ("Protokollanalyse",),
                        ("Systemliste",),
                    ),
                    S(
                        "Netzwerkverkehr prüfen",
                        "network-engineer",
                        ("Netzwerkanalyse",),
                        ("Vorfallsbewertung",),
                    ),
                ),
            ),
            (
                3,
                "Eindämmung",
                (
                    S(
                        "Zugänge sperren",
                        "identity-admin",
                        ("Sperrprotokoll",),
                        ("Protokollanalyse",),
                        context=("Systemliste",),
                    ),
                    S(
                        "Behörde informieren",
                        "compliance-officer",
                        ("Meldung an die Behörde",),
                        ("Vorfallsbewertung",),
                    ),
                ),
            ),
            (
                4,
                "Nachbereitung",
                (
                    S(
                        "Abschlussbericht",
                        "security-lead",
                        ("Abschlussbericht",),
                        ("Protokollanalyse", "Netzwerkanalyse", "Sperrprotokoll"),
                        inputs=("Vorfallsbewertung",),
                    ),
                ),
            ),
        ),
        "Bewerte den gemeldeten Vorfall $ARGUMENTS: betroffene Systeme, Zeitraum und Schweregrad.",
        optional="phase-3/step-5",
        parallel=2,
        missing="Jahresbudget",
    ),
    Playbook(
        "fr",
        (
            (
                1,
                "Qualification",
                (
                    S(
                        "Qualifier l'alerte",
                        "incident-commander",
                        ("Fiche de qualification", "Chronologie"),
                    ),
                ),
            ),
            (
                2,
                "Diagnostic en parallèle",
                (
                    S(
                        "Analyse du frontal",
                        "frontend-engineer",
                        ("Mesures du frontal",),
                        ("fiche de qualification",),
                    ),
                    S(
                        "Analyse de la base de données",
                        "database-admin",
                        ("Requêtes lentes",),
                        ("chronologie",),
                    ),
                ),
            ),
            (
                3,
                "Correction",
                (
                    S(
                        "Corriger la cause",
                        "backend-engineer",
                        ("Correctif déployé",),
                        ("mesures du frontal", "requêtes lentes"),
                        context=("Chronologie",),
                    ),
                    S(
                        "Vider le cache du CDN",
                        "cdn-specialist",
                        ("Journal de purge",),
                        ("mesures du frontal",),
                    ),
                ),
            ),
            (
                4,
                "Bilan",
                (
                    S(
                        "Rédiger le bilan",
                        "post-incident-analyst",
                        ("Bilan de l'incident",),
                        ("chronologie", "correctif déployé"),
                        inputs=("Fiche de qualification",),
                    ),
                ),
            ),
        ),
        "Qualifie l'alerte $ARGUMENTS : pages concernées, début de la dégradation et nombre "
        "d'utilisateurs touchés.",
        optional="phase-3/step-5",
        parallel=2,
        missing="budget annuel",
    ),
    Playbook(
        "ru",
        (
            (
                1,
                "Подготовка",
                (
                    S(
                        "Оценка совместимости",
                        "platform-engineer",
                        ("План обновления", "Список рисков"),
                    ),
                ),
            ),
            (
                2,
                "Параллельные проверки",
                (
                    S(
                        "Резервное копирование",
                        "backup-specialist",
                        ("Отчёт о резервной копии",),
                        ("План обновления",),
                    ),
                    S(
                        "Проверка манифестов",
                        "kubernetes-specialist",
                        ("Отчёт о манифестах",),
                        ("Список рисков",),
                    ),
                ),
            ),
            (
                3,
                "Обновление",
                (
                    S(
                        "Обновление узлов",
                        "platform-engineer",
                        ("Журнал обновления",),
                        ("Отчёт о резервной копии", "Отчёт о манифестах"),
                        context=("План обновления",),
                    ),
                    S(
                        "Обновление контроллера входящего трафика",
                        "network-engineer",
                        ("Журнал контроллера",),
                        ("Отчёт о манифестах",),
                    ),
                ),
            ),
            (
                4,
                "Завершение",
                (
                    S(
                        "Итоговая проверка",
                        "site-reliability-engineer",
                        ("Итоговый отчёт",),
                        ("Журнал обновления",),
                        inputs=("Список рисков",),
                    ),
                ),
            ),
        ),
        "Проверь, какие компоненты кластера несовместимы с версией $ARGUMENTS, и составь план "
        "обновления.",
        optional="phase-3/step-5",
        parallel=2,
        missing="Годовой бюджет",
    ),
    Playbook(
        "it",
        (
            (
                1,
                "Valutazione iniziale",
                (
                    S(
                        "Valutare l'interruzione",
                        "incident-commander",
                        ("Valutazione dell'incidente", "Elenco dei sistemi"),
                    ),
                ),
            ),
            (
                2,
                "Indagine parallela",
                (
                    S(
                        "Analizzare i log",
                        "log-analyst",
                        ("Analisi dei log",),
                        ("Elenco dei sistemi",),
                    ),
                    S(
                        "Controllare il database",
                        "database-engineer",
                        ("Analisi del database",),
                        ("Valutazione dell'incidente",),
                    ),
                ),
            ),
            (
                3,
                "Mitigazione",
                (
                    S(
                        "Applicare la correzione",
                        "backend-engineer",
                        ("Registro della correzione",),
                        ("Analisi dei log",),
                        context=("Elenco dei sistemi",),
                    ),
                    S(
                        "Avvisare i clienti",
                        "support-lead",
                        ("Avviso ai clienti",),
                        ("Valutazione dell'incidente",),
                    ),
                ),
            ),
            (
                4,
                "Chiusura",
                (
                    S(
                        "Rapporto finale",
                        "incident-commander",
                        ("Rapporto finale",),
                        ("Analisi dei log", "Analisi del database", "Registro della correzione"),
                        inputs=("Valutazione dell'incidente",),
                    ),
                ),
            ),
        ),
        "Valuta l'interruzione segnalata $ARGUMENTS: sistemi coinvolti, inizio e gravità.",
        optional="phase-3/step-5",
        parallel=2,
        missing="Budget annuale",
    ),
    Playbook(
        "vi",
        (
            (
                1,
                "Đánh giá ban đầu",
                (
                    S(
                        "Đánh giá sự cố",
                        "incident-commander",
                        ("Đánh giá sự cố", "Danh sách hệ thống"),
                    ),
                ),
            ),
            (
                2,
                "Điều tra song song",
                (
                    S(
                        "Phân tích nhật ký",
                        "log-analyst",
                        ("Phân tích nhật ký",),
                        ("Danh sách hệ thống",),
                    ),
                    S(
                        "Kiểm tra cơ sở dữ liệu",
                        "database-engineer",
                        ("Phân tích cơ sở dữ liệu",),
                        ("Đánh giá sự cố",),
                    ),
                ),
            ),
            (
                3,
                "Khắc phục",
                (
                    S(
                        "Áp dụng bản sửa",
                        "backend-engineer",
                        ("Nhật ký bản sửa",),
                        ("Phân tích nhật ký",),
                        context=("Danh sách hệ thống",),
                    ),
                    S(
                        "Thông báo cho khách hàng",
                        "support-lead",
                        ("Thông báo khách hàng",),
                        ("Đánh giá sự cố",),
                    ),
                ),
            ),
            (
                4,
                "Kết thúc",
                (
                    S(
                        "Báo cáo cuối cùng",
                        "incident-commander",
                        ("Báo cáo cuối cùng",),
                        ("Phân tích nhật ký", "Phân tích cơ sở dữ liệu", "Nhật ký bản sửa"),
                        inputs=("Đánh giá sự cố",),
                    ),
                ),
            ),
        ),
        "Đánh giá sự cố $ARGUMENTS: hệ thống bị ảnh hưởng, thời điểm bắt đầu và mức độ.",
        optional="phase-3/step-5",
        parallel=2,
        missing="Ngân sách năm",
    ),
    Playbook(
        "tr",
        (
            (
                1,
                "Durum tespiti",
                (
                    S(
                        "Çökme raporlarını topla",
                        "mobile-engineer",
                        ("Çökme özeti", "Etkilenen sürümler"),
                    ),
                ),
            ),
            (
                2,
                "Paralel inceleme",
                (
                    S(
                        "Kod incelemesi",
                        "code-reviewer",
                        ("Şüpheli değişiklikler",),
                        ("Etkilenen sürümler",),
                    ),
                    S(
                        "Sunucu tarafı kontrolü",
                        "backend-engineer",
                        ("API hata raporu",),
                        ("Çökme özeti",),
                    ),
                ),
            ),
            (
                3,
                "Düzeltme",
                (
                    S(
                        "Düzeltme sürümünü hazırla",
                        "mobile-engineer",
                        ("Düzeltme sürümü",),
                        ("Şüpheli değişiklikler", "API hata raporu"),
                        context=("Etkilenen sürümler",),
                    ),
                    S(
                        "Özellik bayrağını kapat",
                        "release-manager",
                        ("Bayrak değişikliği kaydı",),
                        ("Şüpheli değişiklikler",),
                    ),
                ),
            ),
            (
                4,
                "Kapanış",
                (
                    S(
                        "Olay raporu",
                        "post-incident-analyst",
                        ("Olay raporu",),
                        ("Çökme özeti", "Düzeltme sürümü"),
                        inputs=("Şüpheli değişiklikler",),
                    ),
                ),
            ),
        ),
        "$ARGUMENTS için çökme raporlarını topla; etkilenen sürümleri ve cihazları belirle.",
        optional="phase-3/step-5",
        parallel=2,
        missing="Yıllık bütçe",
    ),
    Playbook(
        "pl",
        (
            (
                1,
                "Wstępna ocena",
                (
                    S(
                        "Ocena incydentu",
                        "incident-commander",
                        ("Ocena incydentu", "Lista systemów"),
                    ),
                ),
            ),
            (
                2,
                "Analiza równolegle",
                (
                    S("Analiza logów", "log-analyst", ("Analiza logów",), ("Lista systemów",)),
                    S(
                        "Kontrola bazy danych",
                        "database-engineer",
                        ("Analiza bazy danych",),
                        ("Ocena incydentu",),
                    ),
                ),
            ),
            (
                3,
                "Naprawa",
                (
                    S(
                        "Wdrożenie poprawki",
                        "backend-engineer",
                        ("Dziennik poprawki",),
                        ("Analiza logów",),
                        context=("Lista systemów",),
                    ),
                    S(
                        "Powiadomienie klientów",
                        "support-lead",
                        ("Powiadomienie klientów",),
                        ("Ocena incydentu",),
                    ),
                ),
            ),
            (
                4,
                "Zamknięcie",
                (
                    S(
                        "Raport końcowy",
                        "incident-commander",
                        ("Raport końcowy",),
                        ("Analiza logów", "Analiza bazy danych", "Dziennik poprawki"),
                        inputs=("Ocena incydentu",),
                    ),
                ),
            ),
        ),
        "Oceń incydent $ARGUMENTS: dotknięte systemy, czas rozpoczęcia i skalę.",
        optional="phase-3/step-5",
        parallel=2,
        missing="Budżet roczny",
    ),
    Playbook(
        "cs",
        (
            (
                1,
                "Úvodní posouzení",
                (
                    S(
                        "Posouzení incidentu",
                        "incident-commander",
                        ("Posouzení incidentu", "Seznam systémů"),
                    ),
                ),
            ),
            (
                2,
                "Paralelně vyšetřování",
                (
                    S("Analýza logů", "log-analyst", ("Analýza logů",), ("Seznam systémů",)),
                    S(
                        "Kontrola databáze",
                        "database-engineer",
                        ("Analýza databáze",),
                        ("Posouzení incidentu",),
                    ),
                ),
            ),
            (
                3,
                "Náprava",
                (
                    S(
                        "Nasazení opravy",
                        "backend-engineer",
                        ("Záznam opravy",),
                        ("Analýza logů",),
                        context=("Seznam systémů",),
                    ),
                    S(
                        "Upozornění zákazníků",
                        "support-lead",
                        ("Upozornění zákazníků",),
                        ("Posouzení incidentu",),
                    ),
                ),
            ),
            (
                4,
                "Uzavření",
                (
                    S(
                        "Závěrečná zpráva",
                        "incident-commander",
                        ("Závěrečná zpráva",),
                        ("Analýza logů", "Analýza databáze", "Záznam opravy"),
                        inputs=("Posouzení incidentu",),
                    ),
                ),
            ),
        ),
        "Posuď incident $ARGUMENTS: zasažené systémy, čas začátku a rozsah.",
        optional="phase-3/step-5",
        parallel=2,
        missing="Roční rozpočet",
    ),
    Playbook(
        "id",
        (
            (
                1,
                "Penilaian awal",
                (
                    S(
                        "Penilaian insiden",
                        "incident-commander",
                        ("Penilaian insiden", "Daftar sistem"),
                    ),
                ),
            ),
            (
                2,
                "Investigasi secara paralel",
                (
                    S("Analisis log", "log-analyst", ("Analisis log",), ("Daftar sistem",)),
                    S(
                        "Pemeriksaan basis data",
                        "database-engineer",
                        ("Analisis basis data",),
                        ("Penilaian insiden",),
                    ),
                ),
            ),
            (
                3,
                "Pemulihan",
                (
                    S(
                        "Terapkan perbaikan",
                        "backend-engineer",
                        ("Catatan perbaikan",),
                        ("Analisis log",),
                        context=("Daftar sistem",),
                    ),
                    S(
                        "Beri tahu pelanggan",
                        "support-lead",
                        ("Pemberitahuan pelanggan",),
                        ("Penilaian insiden",),
                    ),
                ),
            ),
            (
                4,
                "Penutupan",
                (
                    S(
                        "Laporan akhir",
                        "incident-commander",
                        ("Laporan akhir",),
                        ("Analisis log", "Analisis basis data", "Catatan perbaikan"),
                        inputs=("Penilaian insiden",),
                    ),
                ),
            ),
        ),
        "Nilai insiden $ARGUMENTS: sistem yang terdampak, waktu mulai, dan skalanya.",
        optional="phase-3/step-5",
        parallel=2,
        missing="Anggaran tahunan",
    ),
)


def params() -> list[Any]:
    return [pytest.param(playbook, id=playbook.code) for playbook in PLAYBOOKS]


ALL = params()


def fixture_path(code: str) -> Path:
    return CLEAN / f"lang-{code}.md"


@cache
def document(code: str) -> Document:
    return parse_document(read_source(fixture_path(code)))


def steps_by_id(code: str) -> dict[str, Step]:
    return {step.id: step for step in iter_steps(document(code))}


def codes_after_edit(playbook: Playbook, step_id: str, old: str, new: str) -> set[str]:
    """The rule codes reported once `[old]` in the prompt of `step_id` is written `[new]`."""
    path = fixture_path(playbook.code)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    span = steps_by_id(playbook.code)[step_id].prompt_span
    assert span is not None and f"[{old}]" in lines[span.line - 1]
    lines[span.line - 1] = lines[span.line - 1].replace(f"[{old}]", f"[{new}]", 1)
    edited = parse_text("".join(lines), path.name)
    return {d.code for d in check_document(edited, source="".join(lines))}


# --- the fixtures ---------------------------------------------------------------------


def test_every_language_of_the_table_has_a_playbook() -> None:
    written = {path.stem.removeprefix("lang-") for path in CLEAN.glob("lang-*.md")}
    assert written == set(ROWS) - {"en"}
    assert {playbook.code for playbook in PLAYBOOKS} == written


@pytest.mark.parametrize("playbook", ALL)
def test_phases_are_numbered_in_ascii_and_titled(playbook: Playbook) -> None:
    (workflow,) = document(playbook.code).workflows
    read = [(phase.number, phase.label, phase.title, phase.provenance) for phase in workflow.phases]
    assert read == [(n, str(n), title, "explicit") for n, title, _ in playbook.phases]


@pytest.mark.parametrize("playbook", ALL)
def test_steps_carry_their_agents(playbook: Playbook) -> None:
    read = [
        (step.id, step.label, step.title, step.agent, step.provenance)
        for step in iter_steps(document(playbook.code))
    ]
    expected = [
        (step_id, step_id.rsplit("-", 1)[1], step.title, step.agent, "explicit")
        for step_id, _, step in playbook.steps()
    ]
    assert read == expected


@pytest.mark.parametrize("playbook", ALL)
def test_fields_are_read_from_the_translated_labels(playbook: Playbook) -> None:
    row = ROWS[playbook.code]
    labels = {
        "prompt": row.prompt,
        "output": row.output,
        "context_in": row.context,
        "input": row.input,
    }
    steps = steps_by_id(playbook.code)
    for step_id, _, expected in playbook.steps():
        step = steps[step_id]
        fields = [field for field in step.fields if field.known]
        assert [field.key for field in step.fields if not field.known] == []
        roles = {field_role(field.key) for field in fields}
        assert {"prompt", "output"} <= roles, step_id
        for field in fields:
            role = field_role(field.key)
            if role in labels:
                assert field.key in labels[role], (step_id, field.key)
        assert step.prompt and step.prompt_span is not None
        prompt_field = next(f for f in fields if field_role(f.key) == "prompt")
        assert step.prompt_span.line == prompt_field.span.line
        assert step.produces and all(item.kind == "output" for item in step.produces)
        fielded = [(r.kind, r.text) for r in step.consumes if r.kind in ("context", "input")]
        assert fielded == [
            *(("context", text) for text in expected.context),
            *(("input", text) for text in expected.inputs),
        ]


@pytest.mark.parametrize("playbook", params())
def test_each_listed_output_is_its_own_item(playbook: Playbook) -> None:
    steps = steps_by_id(playbook.code)
    for step_id, _, expected in playbook.steps():
        assert tuple(item.name for item in steps[step_id].produces) == expected.outputs


@pytest.mark.parametrize("playbook", params())
def test_prompt_quotes_of_the_language_are_removed(playbook: Playbook) -> None:
    first = next(iter_steps(document(playbook.code)))
    assert first.prompt == playbook.first_prompt


@pytest.mark.parametrize("playbook", ALL)
def test_the_step_marked_if_applicable_is_optional(playbook: Playbook) -> None:
    optional = [step.id for step in iter_steps(document(playbook.code)) if step.optional]
    assert optional == [playbook.optional]


@pytest.mark.parametrize("playbook", ALL)
def test_the_phase_titled_parallel_holds_a_parallel_block(playbook: Playbook) -> None:
    (workflow,) = document(playbook.code).workflows
    for phase in workflow.phases:
        parallel = [block for block in phase.blocks if isinstance(block, ParallelBlock)]
        if phase.number != playbook.parallel:
            assert parallel == []
            continue
        assert len(phase.blocks) == 1 and len(parallel) == 1
        block = parallel[0]
        assert block.provenance == "explicit" and not block.fan_out
        branches = [[step.id for step in branch.blocks] for branch in block.branches]
        expected = [[i] for i, number, _ in playbook.steps() if number == playbook.parallel]
        assert len(expected) >= 2 and branches == expected


@pytest.mark.parametrize("playbook", params())
def test_bracketed_references_are_read(playbook: Playbook) -> None:
    steps = steps_by_id(playbook.code)
    for step_id, _, expected in playbook.steps():
        refs = tuple(ref.text for ref in steps[step_id].consumes if ref.kind == "bracket")
        assert refs == expected.refs, step_id


@pytest.mark.parametrize("playbook", ALL)
def test_references_resolve(playbook: Playbook) -> None:
    path = fixture_path(playbook.code)
    diagnostics = check_document(document(playbook.code), source=path.read_text("utf-8"))
    assert {d.code for d in diagnostics} & {"WF201", "WF202", "WF203", "WF301"} == set()


@pytest.mark.parametrize("playbook", params())
def test_a_reference_nothing_produces_is_reported(playbook: Playbook) -> None:
    step_id, _, last = playbook.steps()[-1]
    assert "WF201" in codes_after_edit(playbook, step_id, last.refs[0], playbook.missing)


@pytest.mark.parametrize("playbook", params())
def test_a_branch_reading_its_sibling_is_a_race(playbook: Playbook) -> None:
    branches = [(i, step) for i, number, step in playbook.steps() if number == playbook.parallel]
    (_, first), (second_id, second) = branches[:2]
    assert "WF301" in codes_after_edit(playbook, second_id, second.refs[0], first.outputs[0])


# --- the table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "digits"),
    [
        ("十二", "12"),
        ("３", "3"),
        ("１２", "12"),
        ("2b", "2b"),
        ("1.2", "1.2"),
        ("一", "1"),
        ("十", "10"),
        ("二十", "20"),
        ("二十三", "23"),
        ("两", "2"),
        ("一百零五", "105"),
    ],
)
def test_arabic_writes_heading_numbers_in_ascii(number: str, digits: str) -> None:
    assert arabic(number) == digits


def _templates() -> list[Any]:
    return [
        pytest.param(language, role, template, id=f"{language.code}:{template}")
        for language in LANGUAGES
        for role in ("phase", "step", "branch")
        for template in getattr(language, role)
    ]


def _numbers(language: Language) -> list[str]:
    """How a heading number is written: ASCII and full-width everywhere, CJK numerals where
    the language writes them."""
    return ["12", "１２", *(["十二"] if language.code in ("zh", "ja") else [])]


@pytest.mark.parametrize(("language", "role", "template"), _templates())
def test_each_heading_template_classifies(language: Language, role: str, template: str) -> None:
    colons = [":", "："] if language.code in ("zh", "ja", "ko") else [":"]
    for number in _numbers(language):
        heading = template.replace("{n}", number)
        assert classify_heading(heading) == (role, {"num": "12"}), heading
        for colon in colons:
            titled = f"{heading}{colon} Title"
            assert classify_heading(titled) == (role, {"num": "12", "title": "Title"}), titled
    if role == "branch":  # "轨道 A：核心产品开发": a branch is labelled by a letter too
        lettered = template.replace("{n}", "B") + colons[-1] + " Title"
        assert classify_heading(lettered) == (role, {"num": "B", "title": "Title"}), lettered


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(template, id=f"{language.code}:{template}")
        for language in LANGUAGES
        for template in language.period
    ],
)
def test_the_agents_a_schedule_lists_under_each_period_work_together(template: str) -> None:
    colon = "：" if any(ch >= "\u3000" for ch in template) else ":"  # full width in CJK text
    periods = [template.replace("{n}", "1-2") + ": Discovery", template.replace("{n}", "３")]
    lines = []
    for period in periods:
        label = period if period.endswith("Discovery") else period + colon
        lines += [label, "├── UX Architect → Wireframes", "└── Backend Architect → Schema", ""]
    roster = "| Agent | Role |\n|---|---|\n| UX Architect | UI |\n| Backend Architect | API |\n"
    text = "# Runbook\n\n" + roster + "\n## Build\n\n```\n" + "\n".join(lines) + "```\n"
    document = parse_text(text, "runbook.md")
    groups = [
        block
        for phase in document.workflows[0].phases
        for block in iter_blocks(phase.blocks)
        if isinstance(block, ParallelBlock)
    ]
    assert len(groups) == 2, text


def _labels() -> list[Any]:
    roles = {"prompt": "prompt", "output": "output", "context": "context_in", "input": "input"}
    return [
        pytest.param(label, roles[column], id=f"{language.code}:{label}")
        for language in LANGUAGES
        if language.code != "en"
        for column in roles
        for label in getattr(language, column)
    ]


@pytest.mark.parametrize(("label", "role"), _labels())
def test_each_translated_field_label_has_its_role(label: str, role: str) -> None:
    for written in (label, label.lower(), f"**{label}**", f"`{label}`"):
        assert field_role(written) == role, written


@pytest.mark.parametrize(("label", "role"), _labels())
def test_a_translated_field_is_read_with_a_full_width_colon(label: str, role: str) -> None:
    text = (
        "## Phase 1: Start\n### Step 1: Begin\n"
        '- Use Task tool with subagent_type="starter"\n- Prompt: "Start."\n- Output: Plan\n'
        "## Phase 2: Work\n### Step 2: Act\n"
        f'- Use Task tool with subagent_type="worker"\n- {label}：Plan\n'
    )
    step = steps_of(text)[-1]
    if role == "prompt":
        assert step.prompt == "Plan"
    elif role == "output":
        assert [item.name for item in step.produces] == ["Plan"]
    else:
        kind = "context" if role == "context_in" else "input"
        assert [(ref.kind, ref.text) for ref in step.consumes] == [(kind, "Plan")]


def steps_of(text: str) -> list[Step]:
    return list(iter_steps(parse_text(text)))


def _markers() -> list[Any]:
    return [
        pytest.param(word, id=f"{language.code}:{word}")
        for language in LANGUAGES
        if language.code != "en"
        for word in language.optional
    ]


@pytest.mark.parametrize("word", _markers())
def test_each_optional_marker_makes_the_step_optional(word: str) -> None:
    for opening, closing in (("(", ")"), ("（", "）")):
        text = (
            f"## Phase 1: Fix\n### Step 1: Roll back {opening}{word}{closing}\n"
            '- Use Task tool with subagent_type="fixer"\n- Prompt: "Roll back."\n'
            "- Output: Log\n"
        )
        (step,) = steps_of(text)
        assert step.optional and step.title == "Roll back", word


def test_translated_branch_headings_form_a_parallel_block() -> None:
    text = dedent(
        """\
        ## 阶段 2：构建

        四条轨道同时运行：

        ### 轨道 A：核心产品开发
        - Use Task tool with subagent_type="frontend-developer"

        ### 轨道 B：增长与营销准备
        - Use Task tool with subagent_type="growth-hacker"
        """
    )
    document = parse_text(text)
    found = [b for w in document.workflows for p in w.phases for b in iter_blocks(p.blocks)]
    (group,) = [b for b in found if isinstance(b, ParallelBlock)]
    assert [(b.label, b.title) for b in group.branches] == [
        ("A", "核心产品开发"),
        ("B", "增长与营销准备"),
    ]


def _leads() -> list[Any]:
    return [
        pytest.param(language.code, word, id=f"{language.code}:{word}")
        for language in LANGUAGES
        for word in language.leads
    ]


@pytest.mark.parametrize(("code", "word"), _leads())
def test_each_verb_that_labels_who_runs_a_block_names_the_agent(code: str, word: str) -> None:
    name, gap = ("流程优化师", "") if code == "zh" else ("Project Shepherd", " ")
    text = f"## Review\n\n```\n{name}{gap}{word}:\n1. Demo the features\n```\n"
    assert [step.agent for step in steps_of(text)] == [name], word


def _asides() -> list[Any]:
    return [
        pytest.param(word, id=f"{language.code}:{word}")
        for language in LANGUAGES
        for word in language.aside
    ]


@pytest.mark.parametrize("word", _asides())
def test_each_parenthesised_condition_word_makes_the_step_conditional(word: str) -> None:
    """ "### Step 1: Roll back (if P0)", "（如P0）", "(nur wenn P0)": the step runs on a
    condition, which is what follows the word."""
    spaced = "" if word[-1] >= "\u3000" else " "
    for opening, closing in (("(", ")"), ("（", "）")):
        text = (
            f"## Phase 1: Fix\n### Step 1: Roll back {opening}{word}{spaced}P0{closing}\n"
            '- Use Task tool with subagent_type="fixer"\n- Prompt: "Roll back."\n'
        )
        (step,) = steps_of(text)
        assert (step.optional, step.condition, step.title) == (True, "P0", "Roll back"), word


def test_a_condition_beside_a_named_agent_in_a_runbook_block() -> None:
    """Agents written as the labels of their task lists in a code block, one with a condition
    in parentheses: every label naming someone is an agent (known names show the form),
    a label naming a topic is not, and the condition is the step's."""
    text = dedent(
        """\
        ## 团队
        | 智能体 | 职责 |
        |---|---|
        | 证据收集专员 | 截图 |
        | 基础设施维护者 | 监控 |

        ### 步骤 4：解决验证

        ```
        并行调查：
        证据收集专员：
        1. 验证修复是否解决问题

        基础设施维护者：
        1. 验证所有指标恢复正常

        API测试工程师（如涉及API）：
        1. 对受影响端点运行回归测试
        ```
        """
    )
    steps = {step.agent: step for step in steps_of(text)}
    assert set(steps) == {"证据收集专员", "基础设施维护者", "API测试工程师"}
    assert steps["API测试工程师"].condition == "涉及API"


def _parallel_words() -> list[Any]:
    return [
        pytest.param(word, id=f"{language.code}:{word}")
        for language in LANGUAGES
        if language.code != "en"
        for word in language.parallel
    ]


@pytest.mark.parametrize("word", _parallel_words())
def test_each_parallel_phrase_in_a_phase_title_makes_a_parallel_block(word: str) -> None:
    step = '### Step {n}: Check {n}\n- Use Task tool with subagent_type="checker-{n}"\n'
    step += '- Prompt: "Check {n}."\n- Output: Check {n} report\n'
    for title in (f"Checks {word}", f"{word.capitalize()} checks"):
        text = f"## Phase 1: {title}\n" + step.format(n=1) + step.format(n=2)
        (phase,) = parse_text(text).workflows[0].phases
        assert [type(block) for block in phase.blocks] == [ParallelBlock], title
        assert isinstance(phase.blocks[0], ParallelBlock)
        assert len(phase.blocks[0].branches) == 2


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("需求分析", 2),
        ("评估故障影响", 3),
        ("テストを実行", 3),
        ("백업 검증", 2),
        ("Analyse the logs", 3),
        ("Проверь план обновления", 3),
        ("Çökme raporlarını topla", 3),
        ("使用 API 分析日志", 4),
        ("a 1 22 - x", 0),
        ("", 0),
    ],
)
def test_prose_words_counts_cjk_characters_two_to_a_word(text: str, count: int) -> None:
    assert prose_words(text) == count
