"""The multilingual table: how each language writes the words the parser looks for.

Workflow documents are written and translated in many languages. Every language is one
`Language` row below; the pattern table (`compiler.parse.patterns`) builds its heading,
field-key, optional-marker, parallel and delegation patterns from these rows, so supporting
a new language (or a new spelling) is adding a line here, never a new code path.

Templates use `{n}` where the number goes: `"第{n}阶段"` is "stage N" written number-first.
Numbers may be ASCII, full-width (`１`) or CJK numerals (`一`, `十二`); `arabic()` turns
them into ASCII digits so labels and ids stay comparable across languages.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from compiler.regex import LazyPattern


class Language(NamedTuple):
    code: str
    phase: tuple[str, ...] = ()  # phase heading templates ("Fase {n}")
    step: tuple[str, ...] = ()  # step heading templates ("Paso {n}")
    #: parallel branch heading templates ("轨道 {n}": `{n}` is a letter or a number)
    branch: tuple[str, ...] = ()
    prompt: tuple[str, ...] = ()  # field labels, by role
    output: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    input: tuple[str, ...] = ()
    agent: tuple[str, ...] = ()  # "Agent:" field label, and the noun after a name ("X agent")
    optional: tuple[str, ...] = ()  # "(if applicable)"
    parallel: tuple[str, ...] = ()  # "in parallel"
    delegate: tuple[str, ...] = ()  # verbs that hand work to an agent ("activate X")
    #: verbs after a name labelling the work it runs ("Project Shepherd facilitates:")
    leads: tuple[str, ...] = ()
    condition: tuple[str, ...] = ()  # words that open a condition ("if")
    #: words that open a condition in parentheses beside a name or title ("(if mobile)",
    #: "（如P0/P1）", "（仅P0）", "(nur wenn …)"), "only" forms included
    aside: tuple[str, ...] = ()
    otherwise: tuple[str, ...] = ()  # words that open the default path ("otherwise")
    #: a period of a schedule ("Day {n}", "Week {n}", "Wave {n}"; `{n}` may be a range,
    #: "Day 1-2"): the agents a code block's tree lists under one work in it together
    period: tuple[str, ...] = ()


LANGUAGES: tuple[Language, ...] = (
    Language(
        "en",
        agent=("agent", "subagent", "sub-agent", "teammate", "specialist"),
        optional=("if applicable", "optional", "conditional", "as needed", "when needed"),
        parallel=(
            "in parallel",
            "run concurrently",
            "concurrently",
            "simultaneously",
            "parallel execution",
            "at the same time",
            "all in one message",
            "in a single message",
            "in one message",
            "in a single response",
            "in one response",
            "fan out",
            "fan-out",
        ),
        delegate=(
            "use",
            "launch",
            "spawn",
            "re-spawn",
            "respawn",
            "re-dispatch",
            "redispatch",
            "re-invoke",
            "re-delegate",
            "re-launch",
            "relaunch",
            "re-run",
            "spin up",
            "auto-spawn",
            "start",
            "activate",
            "dispatch",
            "delegate to",
            "invoke",
            "run",
            "call",
            "assign to",
            "route to",
            "route back to",
            "hand off to",
            "handoff to",
            "switch to",
            "escalate to",
            "send to",
            "send it to",
            "send it back to",
            "send back to",
            "hand it to",
            "pass it to",
            "trigger",
            "deploy",
            "engage",
            "kick off",
            "bring in",
            "have",
            "ask",
        ),
        leads=("activates", "facilitates", "leads", "conducts"),
        condition=("if", "when", "in case"),
        aside=("only if", "only when", "if", "when", "unless"),
        otherwise=("else", "otherwise", "if not", "default"),
        period=(
            "Day {n}",
            "Days {n}",
            "Week {n}",
            "Weeks {n}",
            "Sprint {n}",
            "Wave {n}",
            "Month {n}",
        ),
    ),
    Language(
        "zh",
        phase=("阶段 {n}", "阶段{n}", "第{n}阶段", "第{n}部分", "階段 {n}"),
        step=("步骤 {n}", "步骤{n}", "第{n}步", "步驟 {n}"),
        branch=("轨道 {n}", "分支 {n}", "支线 {n}"),
        prompt=("提示词", "提示", "指令"),
        output=("输出", "产出", "预期输出", "交付物", "输出结果"),
        context=("上下文", "背景"),
        input=("输入", "输入内容"),
        agent=("智能体", "代理", "子代理", "子智能体", "专员"),
        optional=("如适用", "可选", "如需要", "视情况"),
        parallel=("并行", "同时进行", "同时", "並行"),
        delegate=("激活", "调用", "启动", "派遣", "委派给", "委派", "分配给", "使用", "交给"),
        aside=("如果", "如", "若", "仅限", "仅", "只在", "当"),
        leads=("主导", "牵头", "主持", "激活"),
        condition=("如果", "若", "当"),
        otherwise=("否则", "其他情况"),
        period=("第 {n} 天", "第 {n} 周", "第 {n} 波"),
    ),
    Language(
        "ja",
        phase=("フェーズ {n}", "フェーズ{n}", "第{n}フェーズ", "段階 {n}"),
        step=("ステップ {n}", "ステップ{n}", "手順 {n}", "手順{n}"),
        branch=("トラック {n}", "ブランチ {n}"),
        prompt=("プロンプト", "指示"),
        output=("出力", "成果物", "期待される出力"),
        context=("コンテキスト", "文脈"),
        input=("入力",),
        agent=("エージェント", "サブエージェント"),
        optional=("該当する場合", "任意", "オプション"),
        parallel=("並列", "同時に", "並行"),
        delegate=("起動", "呼び出", "委任", "実行", "使用", "切り替え"),
        condition=("もし", "場合"),
        otherwise=("それ以外", "そうでなければ"),
        period=("{n} 日目", "第 {n} 週", "ウェーブ {n}"),
    ),
    Language(
        "ko",
        phase=("단계 {n}", "{n}단계", "페이즈 {n}"),
        step=("스텝 {n}", "절차 {n}"),
        branch=("트랙 {n}", "브랜치 {n}"),
        prompt=("프롬프트", "지시"),
        output=("출력", "산출물", "예상 출력"),
        context=("컨텍스트", "맥락"),
        input=("입력",),
        agent=("에이전트", "서브에이전트"),
        optional=("해당되는 경우", "선택 사항", "선택"),
        parallel=("병렬", "동시에"),
        # ("Architect 에이전트를 spawn하여": the English verb, conjugated in Korean)
        delegate=("활성화", "호출", "실행", "위임", "사용", "spawn하", "spawn한", "spawn해"),
        condition=("만약", "경우"),
        otherwise=("그렇지 않으면", "그 외"),
        period=("{n}일차", "{n}주차", "웨이브 {n}"),
    ),
    Language(
        "es",
        phase=("Fase {n}", "Etapa {n}"),
        step=("Paso {n}",),
        branch=("Rama {n}", "Pista {n}"),
        prompt=("Instrucción", "Instrucciones", "Indicación"),
        output=("Salida", "Salida esperada", "Resultado", "Entregable"),
        context=("Contexto",),
        input=("Entrada",),
        agent=("agente", "subagente"),
        optional=("si aplica", "si corresponde", "opcional"),
        # "ejecución paralela", "tareas paralelas": the adjective agrees with its noun
        parallel=(
            "en paralelo",
            "simultáneamente",
            "al mismo tiempo",
            "paralela",
            "paralelas",
            "paralelos",
            "paralelamente",
        ),
        delegate=(
            "activar",
            "activa",
            "usar",
            "usa",
            "invocar",
            "invoca",
            "lanzar",
            "lanza",
            "delegar en",
            "delega en",
            "delegue en",
            "delegar a",
            "delega a",
            "delegue a",
            "delegar al",
            "delega al",
        ),
        leads=("activa", "facilita", "lidera", "conduce", "dirige"),
        aside=("solo si", "sólo si", "si"),
        condition=("si", "cuando"),
        otherwise=("si no", "de lo contrario", "en otro caso"),
        period=("Día {n}", "Días {n}", "Semana {n}", "Semanas {n}", "Ola {n}"),
    ),
    Language(
        "pt",
        phase=("Fase {n}", "Etapa {n}"),
        step=("Passo {n}",),
        branch=("Ramo {n}", "Trilha {n}", "Frente {n}"),
        prompt=("Instrução", "Instruções"),
        output=("Saída", "Saída esperada", "Resultado", "Entregável"),
        context=("Contexto",),
        input=("Entrada",),
        agent=("agente", "subagente"),
        optional=("se aplicável", "opcional", "se necessário"),
        # "INVESTIGAÇÃO PARALELA:", "tarefas paralelas": the adjective agrees with its noun
        parallel=(
            "em paralelo",
            "simultaneamente",
            "ao mesmo tempo",
            "paralela",
            "paralelas",
            "paralelos",
            "paralelamente",
        ),
        delegate=(
            "ativar",
            "ative",
            "acionar",
            "acione",
            "usar",
            "use",
            "invocar",
            "invoque",
            "disparar",
            "dispare",
            "chamar",
            "chame",
            "delegar para",
            "delega para",
            "delegue para",
        ),
        leads=("ativa", "facilita", "lidera", "conduz"),
        aside=("apenas se", "somente se", "só se", "se"),
        condition=("se", "caso", "quando"),
        otherwise=("senão", "caso contrário"),
        period=("Dia {n}", "Dias {n}", "Semana {n}", "Semanas {n}", "Onda {n}"),
    ),
    Language(
        "de",
        phase=("Phase {n}",),
        step=("Schritt {n}",),
        branch=("Zweig {n}", "Strang {n}", "Spur {n}"),
        prompt=("Anweisung", "Anweisungen"),
        output=("Ausgabe", "Erwartete Ausgabe", "Ergebnis"),
        context=("Kontext",),
        input=("Eingabe",),
        agent=("Agent", "Subagent"),
        optional=("falls zutreffend", "optional", "bei Bedarf"),
        parallel=(
            "parallel",
            "parallele",
            "parallelen",
            "paralleler",
            "paralleles",
            "gleichzeitig",
        ),
        delegate=("aktivieren", "aktiviere", "starte", "starten", "beauftrage", "einsetzen"),
        aside=("nur wenn", "nur falls", "wenn", "falls"),
        condition=("wenn", "falls"),
        otherwise=("sonst", "andernfalls"),
        period=("Tag {n}", "Tage {n}", "Woche {n}", "Wochen {n}", "Welle {n}"),
    ),
    Language(
        "it",
        phase=("Fase {n}",),
        step=("Passo {n}", "Passaggio {n}"),
        branch=("Ramo {n}", "Traccia {n}", "Filone {n}"),
        prompt=("Istruzione", "Istruzioni"),
        output=("Risultato", "Risultato atteso", "Output atteso", "Consegna"),
        context=("Contesto",),
        input=("Ingresso", "Dati in ingresso"),
        agent=("agente", "subagente", "sotto-agente"),
        optional=("se applicabile", "facoltativo", "opzionale", "se necessario"),
        # "INDAGINE PARALLELA", "attività parallele": the adjective agrees with its noun
        parallel=("in parallelo", "contemporaneamente", "parallela", "parallele", "paralleli"),
        delegate=(
            "attivare",
            "attiva",
            "usare",
            "usa",
            "invocare",
            "invoca",
            "lanciare",
            "lancia",
            "delegare a",
            "delega a",
        ),
        aside=("solo se", "soltanto se", "se"),
        condition=("se",),
        otherwise=("altrimenti",),
        period=("Giorno {n}", "Giorni {n}", "Settimana {n}", "Settimane {n}", "Ondata {n}"),
    ),
    Language(
        "vi",
        phase=("Giai đoạn {n}", "Pha {n}"),
        step=("Bước {n}",),
        branch=("Nhánh {n}", "Luồng {n}"),
        prompt=("Lời nhắc", "Chỉ dẫn"),
        output=("Đầu ra", "Đầu ra mong đợi", "Kết quả", "Kết quả mong đợi"),
        context=("Ngữ cảnh", "Bối cảnh"),
        input=("Đầu vào",),
        agent=("tác tử", "tác tử con"),
        optional=("nếu có", "nếu cần", "tùy chọn"),
        parallel=("song song", "đồng thời", "cùng lúc"),
        # "Gọi subagent `developer`": call, use, launch, hand over to
        delegate=("gọi", "dùng", "sử dụng", "khởi chạy", "giao cho", "ủy quyền cho"),
        aside=("chỉ khi", "nếu"),
        condition=("nếu", "khi"),
        otherwise=("nếu không", "ngược lại"),
    ),
    Language(
        "fr",
        phase=("Phase {n}",),
        step=("Étape {n}",),
        branch=("Branche {n}", "Piste {n}", "Volet {n}"),
        prompt=("Consigne", "Instructions"),
        output=("Sortie", "Sortie attendue", "Résultat", "Résultat attendu", "Livrable"),
        context=("Contexte",),
        input=("Entrée",),
        agent=("agent", "sous-agent"),
        optional=("si applicable", "le cas échéant", "facultatif", "optionnel"),
        parallel=("en parallèle", "simultanément"),
        delegate=("activer", "lancer", "lance", "utiliser", "utilise", "déléguer à"),
        aside=("seulement si", "uniquement si", "si"),
        condition=("si",),
        otherwise=("sinon",),
        period=("Jour {n}", "Jours {n}", "Semaine {n}", "Semaines {n}", "Vague {n}"),
    ),
    Language(
        "ru",
        phase=("Этап {n}", "Фаза {n}"),
        step=("Шаг {n}",),
        branch=("Ветка {n}", "Трек {n}", "Поток {n}"),
        prompt=("Промпт", "Инструкция"),
        output=("Вывод", "Результат", "Ожидаемый результат"),
        context=("Контекст",),
        input=("Вход", "Входные данные"),
        # (and as the object of a verb: "запусти субагента `planner`")
        agent=("агент", "субагент", "агента", "субагента", "агенту", "субагенту"),
        optional=("если применимо", "опционально"),
        parallel=(
            "параллельно",
            "параллельный",
            "параллельная",
            "параллельное",
            "параллельные",
            "одновременно",
        ),
        delegate=(
            "активировать",
            "запустить",
            "запусти",
            "использовать",
            "делегировать",
            "делегируй",
            "поручи",
            "вызови",
            "вызовите",
            "вызвать",
        ),
        aside=("только если", "если"),
        condition=("если",),
        otherwise=("иначе",),
    ),
    Language(
        "tr",
        phase=("Aşama {n}", "Faz {n}", "{n}. Aşama"),
        step=("Adım {n}",),
        branch=("Dal {n}", "Kol {n}"),
        prompt=("İstem", "Talimat"),
        output=("Çıktı", "Beklenen çıktı", "Sonuç"),
        context=("Bağlam",),
        input=("Girdi",),
        agent=("ajan", "alt ajan"),
        optional=("uygunsa", "varsa", "isteğe bağlı"),
        parallel=("paralel", "eşzamanlı"),
        delegate=("etkinleştir", "çalıştır", "kullan", "görevlendir"),
        condition=("eğer",),
        otherwise=("aksi halde", "aksi takdirde"),
    ),
    Language(
        "pl",
        phase=("Faza {n}", "Etap {n}"),
        step=("Krok {n}",),
        branch=("Gałąź {n}", "Ścieżka {n}"),
        prompt=("Polecenie", "Instrukcja"),
        output=("Wynik", "Oczekiwany wynik", "Wyjście"),
        context=("Kontekst",),
        input=("Wejście", "Dane wejściowe"),
        # (the forms an object takes: "uruchom agenta `x`")
        agent=("agent", "agenta", "subagent", "subagenta", "podagent", "podagenta"),
        optional=("jeśli dotyczy", "w razie potrzeby", "opcjonalnie"),
        parallel=("równolegle", "jednocześnie", "w tym samym czasie"),
        # ("utwórz subagenta (narzędzie Task)": create a subagent)
        delegate=("uruchom", "użyj", "wywołaj", "utwórz", "deleguj do", "przekaż do", "zleć"),
        aside=("tylko jeśli", "jeśli"),
        condition=("jeśli", "jeżeli", "gdy", "kiedy"),
        otherwise=("w przeciwnym razie", "w przeciwnym wypadku"),
    ),
    Language(
        "cs",
        phase=("Fáze {n}", "Etapa {n}"),
        step=("Krok {n}",),
        branch=("Větev {n}",),
        prompt=("Zadání", "Pokyny"),
        output=("Výstup", "Očekávaný výstup", "Výsledek"),
        context=("Kontext",),
        input=("Vstup", "Vstupy"),
        agent=("agent", "agenta", "subagent", "subagenta"),
        optional=("je-li třeba", "v případě potřeby", "volitelně"),
        parallel=("paralelně", "souběžně", "současně"),
        # "zavolej agenta `planner`": call, launch, use, delegate to, hand to
        delegate=("zavolej", "spusť", "použij", "deleguj na", "předej"),
        aside=("jen pokud", "pouze pokud", "pokud"),
        condition=("pokud", "jestliže", "když"),
        otherwise=("jinak", "v opačném případě"),
    ),
    Language(
        "id",
        phase=("Fase {n}", "Tahap {n}"),
        step=("Langkah {n}",),
        branch=("Cabang {n}", "Jalur {n}"),
        prompt=("Perintah", "Instruksi"),
        output=("Keluaran", "Hasil", "Hasil yang diharapkan"),
        context=("Konteks",),
        input=("Masukan",),
        agent=("agen", "subagen", "sub-agen"),
        optional=("jika ada", "jika perlu", "opsional"),
        parallel=("secara paralel", "secara bersamaan", "bersamaan"),
        # "Panggil agen `planner`": call, run, use, launch, delegate to
        delegate=("panggil", "jalankan", "gunakan", "luncurkan", "delegasikan ke"),
        aside=("hanya jika", "jika"),
        condition=("jika", "apabila", "ketika"),
        otherwise=("jika tidak", "selain itu"),
    ),
)

#: A number as written in a heading: ASCII (with sub-numbers and a letter), full-width, CJK.
NUMBER = r"\d+(?:\.\d+)*[a-z]?|[０-９]+|[零〇一二两三四五六七八九十百]+"

#: Separators between a heading's number and its title, full-width forms included.
SEPARATOR = r"\s*(?:[:.)\-–—：、．）]\s*|\s+)"

_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CJK_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}


def arabic(number: str) -> str:
    """`３` → `3`, `十二` → `12`, `2b` → `2b`: a heading number in ASCII digits."""
    number = number.translate({0xFF10 + d: str(d) for d in range(10)})
    if not number or not ("\u4e00" <= number[0] <= "\u9fff" or number[0] == "〇"):
        return number
    total, current = 0, 0
    for char in number:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CJK_DIGITS.get(char, 0)
    return str(total + current)


#: A branch's label: a letter or a number ("轨道 A", "Rama 2").
BRANCH_LABEL = r"[A-Z](?![A-Za-z])|" + NUMBER


def template_regex(template: str, number: str = NUMBER, group: str = "?P<num>") -> str:
    """A heading template as a regex: `{n}` is the number (written as `number` allows, in
    a group `group` opens), a space may be any blank."""
    parts = [re.escape(part) for part in template.split("{n}")]
    body = f"({group}{number})".join(parts)
    return body.replace(r"\ ", r"\s*")


def words(
    role: str, *, skip: tuple[str, ...] = (), only: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """Every language's spellings for one column of the table, longest first."""
    found = {
        w
        for language in LANGUAGES
        if language.code not in skip and (only is None or language.code in only)
        for w in getattr(language, role)
    }
    return tuple(sorted(found, key=lambda w: (-len(w), w)))


def alternation(
    role: str, *, skip: tuple[str, ...] = (), only: tuple[str, ...] | None = None
) -> str:
    """A regex alternation of one column (escaped, blanks as `\\s+`)."""
    found = words(role, skip=skip, only=only)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in found)


_CJK = LazyPattern(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WORD = LazyPattern(r"[^\W\d_]{2,}")


def prose_words(text: str) -> int:
    """How much prose `text` holds, in words: CJK scripts write no spaces, so there every two
    characters count as a word (DESIGN §2: prose length is measured in characters there)."""
    cjk = len(_CJK.findall(text))
    latin = sum(1 for word in _WORD.findall(_CJK.sub(" ", text)))
    return latin + cjk // 2
