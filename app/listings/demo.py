"""Demo listings for `flask seed`: realistic cars in tenge by the demo users (the dealer
autohouse, aigerim and daniyar), described in Russian as sellers here write, each with photos
drawn by Pillow. Runs once: when the demo users already have listings, nothing changes."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from app import media
from app.extensions import db
from app.listings import services
from app.listings.photos import refresh_cover
from app.models import Brand, CarModel, City, Generation, Listing, ListingPhoto, User

# seller, make, model, year, mileage km, price ₸, body, fuel, transmission, drive, colour, city, description
DEMO_CARS = [
    ("autohouse", "Toyota", "Camry", 2021, 38000, 16_900_000, "sedan", "petrol", "automatic", "fwd", "white", "Almaty",
     "От официального дилера, полная сервисная история, 2.5 л, комплектация Prestige. Возможны трейд-ин и кредит."),
    ("autohouse", "Toyota", "Land Cruiser Prado", 2019, 72000, 27_500_000, "suv", "petrol", "automatic", "awd",
     "black", "Almaty", "Комплектация Prestige, кожаный салон, люк, 7 мест. Проверена в нашем сервисном центре."),
    ("autohouse", "Hyundai", "Tucson", 2022, 21000, 14_200_000, "crossover", "petrol", "automatic", "awd", "grey",
     "Almaty", "Как новая, два комплекта резины (зима и лето), гарантия до 2027 года."),
    ("autohouse", "Kia", "Sportage", 2020, 54000, 12_300_000, "crossover", "petrol", "automatic", "fwd", "red",
     "Almaty", "Комплектация Comfort, подогрев сидений, камера заднего вида."),
    ("autohouse", "Lexus", "RX", 2018, 96000, 23_800_000, "suv", "hybrid", "automatic", "awd", "silver", "Almaty",
     "RX 450h, аудиосистема Mark Levinson, адаптивный круиз-контроль."),
    ("autohouse", "Chevrolet", "Cobalt", 2022, 15000, 6_900_000, "sedan", "petrol", "automatic", "fwd", "white",
     "Almaty", "Казахстанская сборка, один владелец. Отличный вариант для первой машины."),
    ("autohouse", "Volkswagen", "Polo", 2020, 61000, 7_400_000, "liftback", "petrol", "automatic", "fwd", "blue",
     "Almaty", "1.6 MPI, комплектация Status, всё ТО у официального дилера."),
    ("autohouse", "Mercedes-Benz", "E-Class", 2017, 118000, 19_900_000, "sedan", "petrol", "automatic", "rwd",
     "black", "Almaty", "E 200, пакет AMG Line, панорамная крыша."),
    ("aigerim", "Lada", "Vesta", 2019, 67000, 5_100_000, "sedan", "petrol", "manual", "fwd", "white", "Almaty",
     "Моя первая машина, гаражное хранение, не битая, не крашеная. Продаю, потому что купила кроссовер."),
    ("aigerim", "Hyundai", "Accent", 2017, 103000, 5_600_000, "sedan", "petrol", "automatic", "fwd", "silver",
     "Almaty", "Экономичная и надёжная, этой осенью поставила новую резину."),
    ("aigerim", "Kia", "Rio", 2015, 151000, 4_300_000, "sedan", "petrol", "manual", "fwd", "red", "Kaskelen",
     "На ходу, вложений не требует. Небольшая царапина на заднем бампере (видно на фото)."),
    ("daniyar", "Toyota", "Corolla", 2016, 132000, 7_200_000, "sedan", "petrol", "cvt", "fwd", "grey", "Shymkent",
     "Японская сборка, цепь ГРМ, кондиционер холодит отлично."),
    ("daniyar", "Mitsubishi", "Pajero", 2012, 210000, 8_900_000, "suv", "diesel", "automatic", "awd", "black",
     "Shymkent", "3.2 DI-D, настоящий внедорожник, фаркоп, багажник на крыше."),
    ("daniyar", "Nissan", "X-Trail", 2018, 89000, 10_400_000, "crossover", "petrol", "cvt", "awd", "brown",
     "Shymkent", "Семейная машина, крепления Isofix для детского кресла, камеры кругового обзора 360°."),
    ("daniyar", "Lada", "Niva Legend", 2021, 33000, 6_100_000, "suv", "petrol", "manual", "awd", "green", "Shymkent",
     "Нива Легенд — мечта охотника и рыбака. Рассмотрю обмен на седан."),
]  # fmt: skip

PAINT = {
    "white": (236, 236, 232), "black": (30, 30, 34), "silver": (190, 194, 198), "grey": (120, 124, 130),
    "blue": (40, 80, 170), "red": (180, 30, 36), "green": (40, 110, 60), "brown": (110, 74, 50),
}  # fmt: skip


def draw_car(colour: str, caption: str, view: int, seed: int) -> bytes:
    """A simple side view of a car on a street-ish background, as a JPEG."""
    rng = random.Random(seed)
    width, height = 1200, 800
    sky = (rng.randint(120, 170), rng.randint(170, 200), rng.randint(210, 240))
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, width, height), fill=(70, 72, 78))  # road
    draw.rectangle((0, 505, width, 525), fill=(150, 150, 150))  # kerb
    for x in range(0, width, 160):
        draw.rectangle((x + 40, 650, x + 120, 662), fill=(230, 230, 210))
    paint = PAINT.get(colour, (150, 150, 160))
    shift = 80 if view else 0
    draw.rounded_rectangle((160 - shift, 360, 1040 + shift, 540), radius=50, fill=paint, outline=(20, 20, 20), width=4)
    draw.polygon([(330, 362), (430, 250), (780, 250), (900, 362)], fill=paint, outline=(20, 20, 20))
    draw.polygon([(360, 358), (445, 268), (590, 268), (590, 358)], fill=(170, 200, 225))
    draw.polygon([(610, 358), (610, 268), (770, 268), (860, 358)], fill=(170, 200, 225))
    for cx in (330 - shift // 2, 870 + shift // 2):
        draw.ellipse((cx - 80, 460, cx + 80, 620), fill=(25, 25, 25))
        draw.ellipse((cx - 40, 500, cx + 40, 580), fill=(170, 170, 175))
    draw.ellipse((1000 + shift - 20, 400, 1040 + shift, 440), fill=(255, 230, 140))
    draw.rectangle((0, 0, width, 70), fill=(0, 0, 0))
    draw.text((24, 22), caption, fill=(255, 255, 255), font_size=32)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def load_demo_listings() -> str | None:
    """Add the demo listings with photos unless the demo sellers already have listings."""
    sellers = {user.username: user for user in db.session.scalars(select(User).where(User.username.in_(
        {car[0] for car in DEMO_CARS})))}  # fmt: skip
    if not sellers:
        return None
    have = db.session.scalar(select(func.count()).where(Listing.seller_id.in_([u.id for u in sellers.values()])))
    if have:
        return None
    created = 0
    for number, car in enumerate(DEMO_CARS):
        username, make, model_name, year, mileage, price, body, fuel, gearbox, drive, colour, city_name, text = car
        seller = sellers.get(username)
        brand = db.session.scalar(select(Brand).where(Brand.name == make))
        model = brand and db.session.scalar(
            select(CarModel).where(CarModel.brand_id == brand.id, CarModel.name == model_name)
        )
        city = db.session.scalar(select(City).where(City.name == city_name))
        if seller is None or model is None or city is None:
            continue  # the catalogue lacks it: skip rather than invent
        generation = db.session.scalar(
            select(Generation)
            .where(Generation.model_id == model.id, Generation.year_from <= year)
            .where((Generation.year_to.is_(None)) | (Generation.year_to >= year))
            .order_by(Generation.year_from.desc())
        )
        listing = services.create_listing(
            seller,
            {
                "brand_id": brand.id, "model_id": model.id, "generation_id": generation.id if generation else None,
                "city_id": city.id, "year": year, "mileage_km": mileage, "price": price, "currency": "KZT",
                "body": body, "fuel": fuel, "transmission": gearbox, "drive": drive, "colour": colour,
                "steering": "left", "condition": "used", "engine_volume_l": None, "power_hp": None, "vin": None,
                "description": text,
            },
        )  # fmt: skip
        for view in range(2 + number % 2):
            name = media.save_image(
                io.BytesIO(draw_car(colour, f"{make} {model_name} {year}", view, number * 10 + view)), "listings"
            )
            db.session.add(ListingPhoto(listing_id=listing.id, name=name, position=view))
        db.session.flush()
        refresh_cover(listing)
        created += 1
    return f"demo listings: {created} added with photos" if created else None
