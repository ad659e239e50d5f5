"""Demo content for `flask seed`: the static pages (about, rules, contacts, privacy) in
English, Russian and Kazakh.

Idempotent: a page that exists in a language (perhaps edited by an admin) is left alone.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.markup import render_markdown
from app.models import Page

ENGLISH = {
    "about": (
        "About Garage",
        """Garage is a community for people who buy, sell and love cars in Kazakhstan.

- **Marketplace.** Private sellers and dealers list cars with photos, mileage, VIN and an honest description.
- **Forum.** Ask about a model before you buy it, share repair stories, compare tyres for the winter.
- **Live chat.** Talk to the seller directly; arrange a viewing without giving out your phone number.

Garage started in Almaty in 2026 as a side project of a few drivers who were tired of
listings with stolen photos and sellers who never answered. We check dealer companies
before they get the *verified* badge, and moderators read every report.

Questions? See the [contacts](/p/contacts) page.
""",
    ),
    "rules": (
        "Rules",
        """Garage works because people are honest with each other. By using the site you agree to these rules.

## Listings

1. One car, one listing. Do not post the same car twice or bump it with copies.
2. Photos must show the car being sold. No pictures from catalogues or other sites.
3. The price is the real price, in one currency. "Price on request" listings are removed.
4. The VIN, if given, must be the car's VIN.

## Forum and chat

1. Be polite. Insults, threats and harassment lead to a ban.
2. No spam, no advertising outside the marketplace, no referral links.
3. Do not publish other people's personal data: phone numbers, addresses, documents.

## Moderation

Anyone can report a listing, a post, a message or a member. Moderators may remove content,
warn the author or ban an account for a period or for good. A banned member sees why and
until when. If you think a decision was wrong, write to **moderation@garage.example**.
""",
    ),
    "contacts": (
        "Contacts",
        """**Support:** support@garage.example — we answer on working days within 24 hours.

**Moderation and complaints:** moderation@garage.example, or use the *Report* link
next to any listing, post or message.

**Dealers and advertising:** partners@garage.example

**Office:** Almaty, Abay Avenue 10, office 405 (Mon–Fri, 10:00–18:00).
""",
    ),
    "privacy": (
        "Privacy",
        """We keep only what the site needs to work.

## What we store

- Your account: username, email, a password hash (never the password itself), and what you
  choose to put in your profile.
- What you publish: listings, photos, forum posts, chat messages.
- Technical logs (addresses, browser) for 30 days, to fight abuse.

## What we do not do

- We do not sell or share your data with advertisers.
- We remove location (GPS) data and other metadata from every photo you upload.
- Your phone number is shown only if you choose so in the settings.

## Your choices

You can switch off any kind of notification and email in the notification settings.
To delete your account and everything you published, write to privacy@garage.example.
""",
    ),
}

RUSSIAN = {
    "about": (
        "О Garage",
        """Garage — сообщество тех, кто покупает, продаёт и любит машины в Казахстане.

- **Объявления.** Частные продавцы и автосалоны размещают машины с фото, пробегом, VIN и честным описанием.
- **Форум.** Спросите о модели перед покупкой, поделитесь опытом ремонта, сравните зимнюю резину.
- **Чат с продавцом.** Пишите продавцу напрямую и договаривайтесь об осмотре, не раздавая свой номер телефона.

Garage появился в Алматы в 2026 году: его запустили несколько автолюбителей, которые устали от
объявлений с чужими фото и продавцов, которые не отвечают. Прежде чем автосалон получит отметку
*«Проверен»*, мы проверяем компанию, а модераторы читают каждую жалобу.

Остались вопросы? Загляните на страницу [«Контакты»](/p/contacts).
""",
    ),
    "rules": (
        "Правила",
        """Garage работает, пока люди честны друг с другом. Пользуясь сайтом, Вы соглашаетесь с этими правилами.

## Объявления

1. Одна машина — одно объявление. Не публикуйте одну и ту же машину дважды и не поднимайте объявление копиями.
2. На фото должна быть именно та машина, которую Вы продаёте. Никаких картинок из каталогов и с других сайтов.
3. Цена — реальная и в одной валюте. Объявления с «ценой по запросу» удаляются.
4. Если указываете VIN, это должен быть VIN этой машины.

## Форум и чат

1. Будьте вежливы. За оскорбления, угрозы и травлю аккаунт блокируется.
2. Без спама, рекламы вне объявлений и реферальных ссылок.
3. Не публикуйте чужие персональные данные: телефоны, адреса, документы.

## Модерация

Пожаловаться можно на объявление, сообщение на форуме или в чате и на участника. Модераторы могут
удалить материал, вынести автору предупреждение или заблокировать аккаунт на время или навсегда.
Заблокированный участник видит причину и срок блокировки. Если считаете решение ошибочным,
напишите на **moderation@garage.example**.
""",
    ),
    "contacts": (
        "Контакты",
        """**Поддержка:** support@garage.example — отвечаем в рабочие дни в течение 24 часов.

**Модерация и жалобы:** moderation@garage.example или ссылка *«Пожаловаться»* рядом с любым
объявлением, сообщением на форуме или в чате.

**Автосалонам и по вопросам рекламы:** partners@garage.example

**Офис:** Алматы, пр. Абая, 10, офис 405 (пн–пт, 10:00–18:00).
""",
    ),
    "privacy": (
        "Конфиденциальность",
        """Мы храним только то, что нужно для работы сайта.

## Что мы храним

- Ваш аккаунт: имя пользователя, эл. почту, хэш пароля (но не сам пароль) и то, что Вы сами
  укажете в профиле.
- То, что Вы публикуете: объявления, фото, сообщения на форуме и в чате.
- Технические журналы (IP-адреса, браузер) — 30 дней, для защиты от злоупотреблений.

## Чего мы не делаем

- Не продаём Ваши данные и не передаём их рекламодателям.
- Удаляем геолокацию (GPS) и другие метаданные из каждого загруженного фото.
- Ваш номер телефона виден, только если Вы включили это в настройках профиля.

## Ваш выбор

Любой вид уведомлений и писем можно отключить в настройках уведомлений. Чтобы удалить аккаунт
и всё, что Вы опубликовали, напишите на privacy@garage.example.
""",
    ),
}

KAZAKH = {
    "about": (
        "Garage туралы",
        """Garage — Қазақстанда көлік сатып алатын, сататын және көлікті жақсы көретін адамдардың қауымдастығы.

- **Хабарландырулар.** Жеке сатушылар мен автосалондар көлікті суретімен, жүрісімен, VIN кодымен және шынайы
  сипаттамасымен жариялайды.
- **Форум.** Сатып алмас бұрын модель туралы сұраңыз, жөндеу тәжірибеңізбен бөлісіңіз, қысқы шиналарды салыстырыңыз.
- **Сатушымен чат.** Сатушыға тікелей жазып, телефон нөміріңізді бермей-ақ көлікті көруге келісіңіз.

Garage 2026 жылы Алматыда пайда болды: оны бөгде суреттері бар хабарландырулардан және жауап бермейтін
сатушылардан шаршаған бірнеше көлік әуесқойы бастады. Автосалон *«Тексерілген»* белгісін алмас бұрын
компанияны тексереміз, ал модераторлар әр шағымды оқиды.

Сұрағыңыз бар ма? [«Байланыс»](/p/contacts) бетін қараңыз.
""",
    ),
    "rules": (
        "Ережелер",
        """Garage адамдар бір-біріне адал болғанда ғана жұмыс істейді. Сайтты пайдалана отырып, Сіз осы
ережелермен келісесіз.

## Хабарландырулар

1. Бір көлік — бір хабарландыру. Бір көлікті екі рет жарияламаңыз және хабарландыруды көшірмелермен көтермеңіз.
2. Суретте Сіз сатып жатқан көліктің өзі болуы керек. Каталогтардан және басқа сайттардан алынған суреттерге болмайды.
3. Баға нақты әрі бір валютада болуы керек. «Бағасы сұрау бойынша» деген хабарландырулар жойылады.
4. VIN көрсетсеңіз, ол осы көліктің VIN коды болуы керек.

## Форум және чат

1. Сыпайы болыңыз. Балағат, қоқан-лоқы және қудалау үшін аккаунт бұғатталады.
2. Спамға, хабарландырулардан тыс жарнамаға және реферал сілтемелерге болмайды.
3. Басқа адамдардың жеке деректерін жарияламаңыз: телефон нөмірлері, мекенжайлар, құжаттар.

## Модерация

Хабарландыруға, форумдағы жазбаға, чаттағы хабарламаға және қатысушыға кез келген адам шағымдана алады.
Модераторлар жазбаны жоя алады, авторға ескерту жасай алады немесе аккаунтты уақытша не мерзімсіз
бұғаттай алады. Бұғатталған қатысушы себебін және бұғаттау мерзімін көреді. Шешім қате деп ойласаңыз,
**moderation@garage.example** мекенжайына жазыңыз.
""",
    ),
    "contacts": (
        "Байланыс",
        """**Қолдау қызметі:** support@garage.example — жұмыс күндері 24 сағат ішінде жауап береміз.

**Модерация және шағымдар:** moderation@garage.example немесе кез келген хабарландыру, форумдағы жазба
не чаттағы хабарлама жанындағы *«Шағымдану»* сілтемесі.

**Автосалондарға және жарнама мәселелері бойынша:** partners@garage.example

**Кеңсе:** Алматы, Абай даңғылы, 10, 405-кеңсе (дс–жм, 10:00–18:00).
""",
    ),
    "privacy": (
        "Құпиялылық",
        """Біз сайттың жұмысына қажетті деректерді ғана сақтаймыз.

## Не сақтаймыз

- Аккаунтыңыз: пайдаланушы аты, эл. пошта, құпиясөздің хэші (құпиясөздің өзі емес) және профиліңізге
  өзіңіз жазған мәліметтер.
- Сіз жариялайтындар: хабарландырулар, суреттер, форумдағы жазбалар және чаттағы хабарламалар.
- Техникалық журналдар (IP мекенжайлар, браузер) — теріс пайдаланудың алдын алу үшін 30 күн сақталады.

## Не істемейміз

- Деректеріңізді сатпаймыз және жарнама берушілерге бермейміз.
- Жүктелген әр суреттен геолокацияны (GPS) және басқа метадеректерді өшіреміз.
- Телефон нөміріңіз профиль баптауларында рұқсат берсеңіз ғана көрсетіледі.

## Сіздің таңдауыңыз

Кез келген хабарлама мен хат түрін хабарлама баптауларында өшіруге болады. Аккаунтыңызды және
жариялағандарыңыздың бәрін жою үшін privacy@garage.example мекенжайына жазыңыз.
""",
    ),
}

# slug -> language -> (title, markdown)
DEMO_PAGES = {slug: {"en": ENGLISH[slug], "ru": RUSSIAN[slug], "kk": KAZAKH[slug]} for slug in ENGLISH}


def seed_pages() -> str:
    """Create the static pages missing in each language; returns a one-line summary."""
    existing = set(db.session.execute(select(Page.slug, Page.locale)).tuples())
    created = 0
    for slug, versions in DEMO_PAGES.items():
        for locale, (title, body) in versions.items():
            if (slug, locale) in existing:
                continue
            page = Page(slug=slug, locale=locale, title=title, body_markdown=body, body_html=render_markdown(body))
            db.session.add(page)
            created += 1
    db.session.flush()
    return f"static pages: {created} created" if created else ""
