/// The products a simulated Brazilian e-commerce shop sells, with list prices in centavos.
///
/// Prices are integers so that order totals are exact (see ``SalesSimulator``). Names are plain text
/// that needs no JSON escaping (a test checks it) and some carry accents, so UTF-8 flows end to end.
///
/// ```swift
/// let item = ProductCatalogue.standard.products[0]
/// print(item.name, item.priceCents)   // Notebook Dell Inspiron 15 389900
/// ```
public struct ProductCatalogue: Sendable {
    public struct Product: Sendable, Hashable {
        public var name: String
        public var priceCents: Int

        public init(name: String, priceCents: Int) {
            self.name = name
            self.priceCents = priceCents
        }
    }

    public var products: [Product]

    public init(products: [Product]) {
        precondition(!products.isEmpty, "a catalogue needs at least one product")
        self.products = products
    }

    /// Forty products across electronics, home, books, fashion and groceries.
    public static let standard = ProductCatalogue(products: [
        Product(name: "Notebook Dell Inspiron 15", priceCents: 389_900),
        Product(name: "Smartphone Samsung Galaxy A54", priceCents: 189_900),
        Product(name: "iPhone 15 128GB", priceCents: 599_900),
        Product(name: "Smart TV LG 50 4K", priceCents: 259_990),
        Product(name: "Fone de Ouvido Bluetooth JBL", priceCents: 29_990),
        Product(name: "Mouse sem Fio Logitech", priceCents: 8_990),
        Product(name: "Teclado Mecânico Redragon", priceCents: 22_990),
        Product(name: "Monitor 27 Full HD", priceCents: 119_900),
        Product(name: "Carregador Turbo USB-C", priceCents: 7_990),
        Product(name: "Caixa de Som Portátil", priceCents: 34_990),
        Product(name: "Kindle Paperwhite", priceCents: 79_900),
        Product(name: "Console PlayStation 5", priceCents: 379_990),
        Product(name: "Air Fryer Mondial 4L", priceCents: 39_990),
        Product(name: "Cafeteira Elétrica Oster", priceCents: 18_990),
        Product(name: "Liquidificador Philips Walita", priceCents: 24_990),
        Product(name: "Jogo de Panelas Tramontina", priceCents: 49_990),
        Product(name: "Aspirador de Pó Robô", priceCents: 129_900),
        Product(name: "Ventilador de Mesa Arno", priceCents: 15_990),
        Product(name: "Jogo de Lençol Casal", priceCents: 12_990),
        Product(name: "Travesseiro Nasa", priceCents: 8_990),
        Product(name: "Livro Dom Casmurro", priceCents: 2_990),
        Product(name: "Livro O Alquimista", priceCents: 3_490),
        Product(name: "Livro Sapiens", priceCents: 5_990),
        Product(name: "Camiseta Básica Algodão", priceCents: 4_990),
        Product(name: "Calça Jeans Slim", priceCents: 15_990),
        Product(name: "Tênis Esportivo Olympikus", priceCents: 29_990),
        Product(name: "Mochila Executiva", priceCents: 19_990),
        Product(name: "Relógio Casio Digital", priceCents: 24_990),
        Product(name: "Óculos de Sol Polarizado", priceCents: 14_990),
        Product(name: "Perfume Natura Essencial 100ml", priceCents: 23_990),
        Product(name: "Protetor Solar FPS 50", priceCents: 6_990),
        Product(name: "Shampoo Anticaspa 400ml", priceCents: 2_899),
        Product(name: "Café em Grãos 1kg", priceCents: 6_490),
        Product(name: "Azeite Extra Virgem 500ml", priceCents: 3_990),
        Product(name: "Chocolate Amargo 70%", priceCents: 1_299),
        Product(name: "Whey Protein 900g", priceCents: 12_990),
        Product(name: "Bicicleta Aro 29", priceCents: 149_900),
        Product(name: "Bola de Futebol Oficial", priceCents: 17_990),
        Product(name: "Furadeira de Impacto Bosch", priceCents: 32_990),
        Product(name: "Ração Premium Cães 15kg", priceCents: 21_990),
    ])
}
